import { InMemoryEventStore } from '../store/in-memory-event-store';
import { CommandHandler } from './command-handler';
import { observeCommands } from './command-middleware';
import { EventSchemas } from './upcasting';
import { commandEventId, legacyCommandEventId } from './event-ids';
import { ConcurrencyError, PreconditionFailedError } from '../errors';
import { counterDecider, type CounterCommand } from '../testing/counter-decider';
import { deciderSpec } from '../testing/decider-spec';
import type { EventStore } from '../store/event-store';

describe('counter decider (given/when/then)', () => {
  const spec = deciderSpec(counterDecider);
  it('increments', () =>
    spec
      .given([])
      .when({ type: 'Increment', by: 2 })
      .then([{ type: 'Incremented', data: { by: 2 } }]));
  it('refuses to go below zero', () =>
    spec
      .given([{ type: 'Incremented', data: { by: 1 } }])
      .when({ type: 'Decrement', by: 2 })
      .thenThrows(PreconditionFailedError));
});

describe('CommandHandler', () => {
  let store: InMemoryEventStore;
  let handler: CommandHandler<CounterCommand, { value: number }, never>;
  const inc = (by: number): CounterCommand => ({ type: 'Increment', by });

  beforeEach(() => {
    store = new InMemoryEventStore();
    handler = new CommandHandler(store, counterDecider as never);
  });

  it('loads, decides and appends, returning the new state and revision', async () => {
    await handler.handle('counter-1', inc(2));
    const result = await handler.handle('counter-1', inc(3), { context: { actor: 'alice', correlationId: 'c-1' } });
    expect(result.state).toEqual({ value: 5 });
    expect(result.revision).toBe(1);
    const [, second] = await store.readStream('counter-1');
    expect(second!.metadata).toMatchObject({ actor: 'alice', correlationId: 'c-1' });
  });

  it('refuses a stale expected revision without deciding', async () => {
    await handler.handle('counter-1', inc(1));
    await handler.handle('counter-1', inc(1));
    await expect(handler.handle('counter-1', inc(1), { expectedRevision: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('counter-1')).toHaveLength(2);
  });

  it('lets the domain answer first when the expected stream does not exist at all', async () => {
    await expect(handler.handle('counter-none', { type: 'Decrement', by: 1 }, { expectedRevision: 3 })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(handler.handle('counter-none', inc(1), { expectedRevision: 3 })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('counter-none')).toEqual([]);
  });

  it('writes nothing when the domain refuses', async () => {
    await expect(handler.handle('counter-1', { type: 'Decrement', by: 1 })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await store.readStream('counter-1')).toEqual([]);
  });

  it('decides again on fresh state after a conflict, unless the caller stated a revision', async () => {
    // A store that lets another writer slip in once, right before our append.
    const racing = (streamId: string, expectedRevision?: number | 'no_stream') => {
      let raced = false;
      const racy: EventStore = Object.create(store) as EventStore;
      racy.append = async (id, events, expected) => {
        if (!raced) {
          raced = true;
          await store.append(
            streamId,
            [{ id: crypto.randomUUID(), type: 'Incremented', schemaVersion: 1, data: { by: 10 }, metadata: { occurredAt: new Date().toISOString() } }],
            'any',
          );
        }
        return store.append(id, events, expected);
      };
      return new CommandHandler(racy, counterDecider).handle(streamId, inc(1), expectedRevision === undefined ? {} : { expectedRevision });
    };
    await expect(racing('counter-stated', 'no_stream')).rejects.toBeInstanceOf(ConcurrencyError);
    const retried = await racing('counter-retried');
    expect(retried.state).toEqual({ value: 11 });
  });

  it('gives up after the configured number of attempts', async () => {
    const alwaysRacing: EventStore = Object.create(store) as EventStore;
    let attempts = 0;
    alwaysRacing.append = async () => {
      attempts++;
      throw new ConcurrencyError('counter-hot', '0', '1');
    };
    await expect(new CommandHandler(alwaysRacing, counterDecider, { maxAttempts: 5 }).handle('counter-hot', inc(1))).rejects.toBeInstanceOf(ConcurrencyError);
    expect(attempts).toBe(5);
  });

  it('makes a command with an idempotency key a no-op the second time', async () => {
    const first = await handler.handle('counter-1', inc(4), { context: { idempotencyKey: 'req-42' } });
    const again = await handler.handle('counter-1', inc(4), { context: { idempotencyKey: 'req-42' } });
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(await store.readStream('counter-1')).toHaveLength(1);
    expect(again.state).toEqual({ value: 4 });
  });

  it('refuses an idempotency key reused for a different command', async () => {
    await handler.handle('counter-1', inc(4), { context: { idempotencyKey: 'req-43' } });
    await expect(handler.handle('counter-1', inc(5), { context: { idempotencyKey: 'req-43' } })).rejects.toMatchObject({
      kind: 'invalid_argument',
      violations: [{ field: 'idempotencyKey', description: expect.stringContaining('different request') }],
    });
    expect(await store.readStream('counter-1')).toHaveLength(1);
  });

  it('upcasts old event versions on read', async () => {
    await store.append(
      'counter-old',
      [{ id: crypto.randomUUID(), type: 'Incremented', schemaVersion: 1, data: { amount: 7 }, metadata: { occurredAt: new Date().toISOString() } }],
      'no_stream',
    );
    const schemas = new EventSchemas({ Incremented: { currentVersion: 2, upcasts: { 1: (d) => ({ by: (d as { amount: number }).amount }) } } });
    const upcasting = new CommandHandler(store, counterDecider, { schemas });
    const result = await upcasting.handle('counter-old', inc(1));
    expect(result.state).toEqual({ value: 8 });
    const stored = await store.readStream('counter-old');
    expect(stored.map((e) => e.schemaVersion)).toEqual([1, 2]);
  });

  it('folds a stream as of a past date', async () => {
    await handler.handle('counter-1', inc(1), { occurredAt: new Date('2026-01-01T00:00:00Z') });
    await handler.handle('counter-1', inc(1), { occurredAt: new Date('2026-03-01T00:00:00Z') });
    const { state } = await handler.load('counter-1', new Date('2026-02-01T00:00:00Z'));
    expect(state).toEqual({ value: 1 });
  });

  it('reports each command with its outcome and duration to an observer', async () => {
    const seen: { command: string; outcome: string; seconds: number }[] = [];
    const observed = new CommandHandler(store, counterDecider, { middleware: [observeCommands((o) => seen.push(o))] });
    await observed.handle('counter-o', inc(1));
    await expect(observed.handle('counter-o', { type: 'Decrement', by: 5 })).rejects.toThrow();
    await expect(observed.handle('counter-o', inc(1), { expectedRevision: 7 })).rejects.toThrow();
    expect(seen.map((o) => [o.command, o.outcome])).toEqual([
      ['Increment', 'ok'],
      ['Decrement', 'refused'],
      ['Increment', 'conflict'],
    ]);
    expect(seen.every((o) => o.seconds >= 0 && o.seconds < 5)).toBe(true);
  });

  it('scopes a client key to the stream, and recognises the ids written before the one scheme (ADR 0021)', async () => {
    const first = await handler.handle('counter-k', inc(1), { context: { idempotencyKey: 'req-1' } });
    expect(first.events[0]!.id).toBe(commandEventId('counter-k:req-1', 'counter-k', 0));
    await store.append(
      'counter-legacy',
      [
        {
          id: legacyCommandEventId('counter-legacy:req-2', 0),
          type: 'Incremented',
          schemaVersion: 1,
          data: { by: 3 },
          metadata: { occurredAt: new Date().toISOString() },
        },
      ],
      'no_stream',
    );
    const again = await handler.handle('counter-legacy', inc(3), { context: { idempotencyKey: 'req-2' } });
    expect(again.replayed).toBe(true);
    expect(await store.readStream('counter-legacy')).toHaveLength(1);
  });

  it('decides over related streams and appends to all of them at once with the revisions read', async () => {
    const typed = new CommandHandler(store, counterDecider);
    const counters = {
      streamId: (key: string) => `total-${key}`,
      load: async (key: string) => typed.load(`total-${key}`),
      evolve: counterDecider.evolve,
    };
    const moveOne = {
      command: 'MoveOne',
      related: counters,
      reads: () => ['a'],
      decide: (state: { value: number }, related: ReadonlyMap<string, { value: number }>) => ({
        events: counterDecider.decide({ type: 'Decrement', by: 1 }, state),
        related: new Map([['a', counterDecider.decide({ type: 'Increment', by: 1 }, related.get('a')!)]]),
      }),
    };
    await typed.handle('counter-m', inc(2));
    const moved = await typed.handleAcross('counter-m', moveOne);
    expect(moved.state).toEqual({ value: 1 });
    expect(moved.related.map((e) => e.type)).toEqual(['Incremented']);
    expect((await typed.load('total-a')).state).toEqual({ value: 1 });
  });

  it('does not start a command whose caller has gone', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(handler.handle('counter-1', inc(1), { context: { signal: abort.signal } })).rejects.toThrow('no longer waiting');
  });
});

describe("CommandHandler keeping primary streams' states in memory", () => {
  const inc = (by: number): CounterCommand => ({ type: 'Increment', by });
  const dec = (by: number): CounterCommand => ({ type: 'Decrement', by });
  /** Two instances of a service over one store: each keeps its own states. */
  function twoInstances(options: { ttlMs?: number; now?: () => number } = {}) {
    const store = new InMemoryEventStore();
    let reads = 0;
    const counted: EventStore = Object.create(store) as EventStore;
    counted.readStream = (...args) => {
      reads++;
      return store.readStream(...args);
    };
    const make = () => new CommandHandler(counted, counterDecider, { cachedStates: { maxEntries: 10, ...options } });
    return { store, here: make(), elsewhere: make(), reads: () => reads };
  }

  it('decides on the state its last write left, without reading the stream', async () => {
    const { here, reads } = twoInstances();
    await here.handle('counter-1', inc(2));
    const before = reads();
    const result = await here.handle('counter-1', inc(3));
    expect(reads()).toBe(before);
    expect(result).toMatchObject({ state: { value: 5 }, revision: 1 });
  });

  it('decides again on the stream as stored when another instance wrote meanwhile', async () => {
    const { store, here, elsewhere } = twoInstances();
    await here.handle('counter-1', inc(2));
    await elsewhere.handle('counter-1', inc(10));
    const result = await here.handle('counter-1', inc(1));
    expect(result).toMatchObject({ state: { value: 13 }, revision: 2 });
    expect((await store.readStream('counter-1')).map((e) => e.data)).toEqual([{ by: 2 }, { by: 10 }, { by: 1 }]);
  });

  it('refuses only on the stream as stored: a refusal from a stale state is decided again', async () => {
    const { store, here, elsewhere } = twoInstances();
    await here.handle('counter-1', inc(1));
    await elsewhere.handle('counter-1', inc(5));
    // Remembered here: 1, so 4 would go below zero; as stored: 6.
    const result = await here.handle('counter-1', dec(4));
    expect(result.state).toEqual({ value: 2 });
    expect(await store.readStream('counter-1')).toHaveLength(3);
    await expect(here.handle('counter-1', dec(3))).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('checks a stated revision against the stream as stored, not against what it remembers', async () => {
    const { here, elsewhere } = twoInstances();
    await here.handle('counter-1', inc(1));
    await elsewhere.handle('counter-1', inc(1));
    // The caller saw revision 1 (elsewhere's write): right, though this instance remembers 0.
    expect(await here.handle('counter-1', inc(1), { expectedRevision: 1 })).toMatchObject({ revision: 2, state: { value: 3 } });
    // And a revision this instance remembers but the stream has passed is refused.
    await elsewhere.handle('counter-1', inc(1));
    await expect(here.handle('counter-1', inc(1), { expectedRevision: 2 })).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('does not spend an attempt on a stale state', async () => {
    const store = new InMemoryEventStore();
    const here = new CommandHandler(store, counterDecider, { maxAttempts: 1, cachedStates: { maxEntries: 10 } });
    await here.handle('counter-1', inc(1));
    await new CommandHandler(store, counterDecider).handle('counter-1', inc(1));
    expect((await here.handle('counter-1', inc(1))).state).toEqual({ value: 3 });
  });

  it('given a creation, when the stream does not exist, then decides on the initial state without reading it', async () => {
    const { store, here, reads } = twoInstances();
    const result = await here.handle('counter-new', inc(2), { assumeNew: true });
    expect(reads()).toBe(0);
    expect(result).toMatchObject({ state: { value: 2 }, revision: 0 });
    expect(await store.readStream('counter-new')).toHaveLength(1);
  });

  it('given a creation, when the stream exists after all, then decides again on the stream as stored', async () => {
    const { store, here, elsewhere, reads } = twoInstances();
    await elsewhere.handle('counter-1', inc(5));
    const before = reads();
    // On the initial state, 3 would go below zero; as stored (5), it does not.
    expect(await here.handle('counter-1', dec(3), { assumeNew: true })).toMatchObject({ state: { value: 2 }, revision: 1 });
    expect(reads()).toBe(before + 1);
    expect(await store.readStream('counter-1')).toHaveLength(2);
    await expect(new CommandHandler(store, counterDecider).handle('counter-2', dec(1), { assumeNew: true })).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('reads the stream for a command with an idempotency key, whose repeat the history tells', async () => {
    const { store, here, elsewhere } = twoInstances();
    await here.handle('counter-1', inc(1));
    await elsewhere.handle('counter-1', inc(4), { context: { idempotencyKey: 'req-1' } });
    const again = await here.handle('counter-1', inc(4), { context: { idempotencyKey: 'req-1' } });
    expect(again.replayed).toBe(true);
    expect(await store.readStream('counter-1')).toHaveLength(2);
  });

  it('forgets a state after its time, and the least recently used beyond its bound', async () => {
    let now = 0;
    const { here, reads } = twoInstances({ ttlMs: 1000, now: () => now });
    await here.handle('counter-1', inc(1));
    let before = reads();
    now = 999;
    await here.handle('counter-1', inc(1));
    expect(reads()).toBe(before);
    now = 2500;
    await here.handle('counter-1', inc(1));
    expect(reads()).toBe(before + 1);
    for (let i = 0; i < 11; i++) await here.handle(`counter-x${i}`, inc(1));
    before = reads();
    await here.handle('counter-x0', inc(1));
    expect(reads()).toBe(before + 1);
  });
});
