import type { StreamAppend } from './event-store';
import { GroupCommit, type MergedAppend } from './group-commit';

const part = (streamId: string, events = 1): StreamAppend => ({
  streamId,
  expectedRevision: 'any',
  events: Array.from({ length: events }, (_, i) => ({
    id: `${streamId}-${i}`,
    type: 'T',
    schemaVersion: 1,
    data: {},
    metadata: { occurredAt: '2026-12-06T00:00:00Z' },
  })),
});

/** A store stand-in: records what goes together, answers when released. */
function fakeStore(
  answer: (appends: readonly StreamAppend[]) => MergedAppend | Error = (a) => ({ written: true, revisions: a.map(() => 0), lastPosition: 100 }),
) {
  const merged: string[][] = [];
  const alone: string[][] = [];
  const gates: (() => void)[] = [];
  const gate = (): Promise<void> => new Promise((release) => gates.push(release));
  const group = new GroupCommit(
    async (appends) => {
      merged.push(appends.map((a) => a.streamId));
      await gate();
      const outcome = answer(appends);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    { maxInFlight: 1, maxEvents: 4 },
  );
  type Answer = 'alone' | { streams: { streamId: string; nextExpectedRevision: number }[]; lastPosition: number };
  const submit = (appends: StreamAppend[]): Promise<Answer> =>
    group.submit<Answer>(
      appends,
      async () => {
        alone.push(appends.map((a) => a.streamId));
        await gate();
        return 'alone';
      },
      (streams, lastPosition) => ({ streams, lastPosition }),
    );
  const releaseAll = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setImmediate(r));
      gates.splice(0).forEach((release) => release());
    }
  };
  return { merged, alone, submit, releaseAll };
}

describe('GroupCommit', () => {
  it('given a free slot, when a request comes, then it goes at once and alone', async () => {
    const store = fakeStore();
    const done = store.submit([part('a')]);
    expect(store.alone).toEqual([['a']]);
    await store.releaseAll();
    await expect(done).resolves.toBe('alone');
    expect(store.merged).toEqual([]);
  });

  it('given a busy slot, when requests wait, then they go together and each gets its own streams and last position', async () => {
    const store = fakeStore();
    const first = store.submit([part('a')]);
    const second = store.submit([part('b', 2), part('c')]);
    const third = store.submit([part('d')]);
    await store.releaseAll();
    await first;
    expect(store.merged).toEqual([['b', 'c', 'd']]);
    await expect(second).resolves.toEqual({
      streams: [
        { streamId: 'b', nextExpectedRevision: 0 },
        { streamId: 'c', nextExpectedRevision: 0 },
      ],
      lastPosition: 99,
    });
    await expect(third).resolves.toEqual({ streams: [{ streamId: 'd', nextExpectedRevision: 0 }], lastPosition: 100 });
  });

  it('given waiting requests on one stream, then they never go together and keep their order', async () => {
    const store = fakeStore();
    store.submit([part('a')]);
    store.submit([part('x')]);
    store.submit([part('x'), part('y')]);
    store.submit([part('y')]);
    store.submit([part('z')]);
    await store.releaseAll();
    expect(store.merged).toEqual([['x', 'z']]);
    // The second request on x goes after the first, and the one on y after it.
    expect(store.alone.slice(1)).toEqual([['x', 'y'], ['y']]);
  });

  it('given more waiting events than maxEvents, then the rest waits for the next turn', async () => {
    const store = fakeStore();
    store.submit([part('a')]);
    store.submit([part('b', 3)]);
    store.submit([part('c', 2)]);
    store.submit([part('d', 1)]);
    await store.releaseAll();
    expect(store.merged[0]).toEqual(['b', 'd']);
    expect(store.alone).toContainEqual(['c']);
  });

  it('given a merged append refused by one part, then that request runs alone and the others go together again', async () => {
    const store = fakeStore((appends) =>
      appends.some((a) => a.streamId === 'bad')
        ? { written: false, refusedParts: [appends.findIndex((a) => a.streamId === 'bad')] }
        : { written: true, revisions: appends.map(() => 3), lastPosition: 7 },
    );
    store.submit([part('a')]);
    const bad = store.submit([part('bad')]);
    const b = store.submit([part('b')]);
    const c = store.submit([part('c')]);
    await store.releaseAll();
    await expect(bad).resolves.toBe('alone');
    expect(store.merged).toEqual([
      ['bad', 'b', 'c'],
      ['b', 'c'],
    ]);
    await expect(b).resolves.toMatchObject({ streams: [{ streamId: 'b', nextExpectedRevision: 3 }], lastPosition: 6 });
    await expect(c).resolves.toMatchObject({ lastPosition: 7 });
  });

  it('given a merged append that fails, then every request runs alone and meets its own answer', async () => {
    const store = fakeStore(() => new Error('connection lost'));
    store.submit([part('a')]);
    const b = store.submit([part('b')]);
    const c = store.submit([part('c')]);
    await store.releaseAll();
    await expect(Promise.all([b, c])).resolves.toEqual(['alone', 'alone']);
    expect(store.alone).toEqual([['a'], ['b'], ['c']]);
  });
});
