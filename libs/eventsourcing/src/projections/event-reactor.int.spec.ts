import { EventReactor } from './event-reactor';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { PgliteSqlClient } from '../sql/pglite-client';
import type { RecordedEvent } from '../store/event';
import { SqlEventStore } from '../store/sql-event-store';
import { eventually } from '../testing/eventually';

let sql: PgliteSqlClient;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

const event = (type: string) => ({ id: crypto.randomUUID(), type, schemaVersion: 1, data: {}, metadata: { occurredAt: new Date().toISOString() } });

describe('EventReactor', () => {
  it('reacts to each matching event in order, and resumes after its checkpoint on restart', async () => {
    const store = new InMemoryEventStore();
    const seen: string[] = [];
    const options = {
      name: 'r1',
      schema: 'reactor_a',
      filter: { streamPrefixes: ['order-'] },
      react: async (e: RecordedEvent) => void seen.push(`${e.streamId}:${e.type}`),
    };
    await store.append('order-1', [event('Placed'), event('Paid')], 'no_stream');
    await store.append('other-1', [event('Ignored')], 'no_stream');
    const reactor = new EventReactor(store, sql, options);
    await reactor.start();
    await reactor.waitForPosition(await store.headPosition({ streamPrefixes: ['order-'] }));
    await reactor.stop();
    expect(seen).toEqual(['order-1:Placed', 'order-1:Paid']);

    await store.append('order-2', [event('Placed')], 'no_stream');
    const again = new EventReactor(store, sql, options);
    await again.start();
    await again.waitForPosition(await store.headPosition({ streamPrefixes: ['order-'] }));
    await again.stop();
    expect(seen).toEqual(['order-1:Placed', 'order-1:Paid', 'order-2:Placed']);
  });

  it('retries a failing reaction from the same event, never skipping it', async () => {
    const store = new InMemoryEventStore();
    let failures = 2;
    const seen: string[] = [];
    await store.append('job-1', [event('A'), event('B')], 'no_stream');
    const reactor = new EventReactor(store, sql, {
      name: 'r2',
      schema: 'reactor_b',
      restartDelayMs: 10,
      react: async (e) => {
        if (e.type === 'B' && failures-- > 0) throw new Error('transient');
        seen.push(e.type);
      },
    });
    await reactor.start();
    await reactor.waitForPosition(await store.headPosition(), 5000);
    await reactor.stop();
    expect(seen).toEqual(['A', 'B']);
  });

  it('moves its checkpoint past the events its filter does not match, so an idle reactor is not stuck at the start', async () => {
    const store = await SqlEventStore.open(sql, 'reactor_c', { pollIntervalMs: 5 });
    for (let i = 0; i < 5; i++) await store.append(`other-${i}`, [event('Ignored')], 'no_stream');
    const seen: string[] = [];
    const options = {
      name: 'idle',
      schema: 'reactor_c',
      filter: { streamPrefixes: ['departure-'] },
      idleCheckpointMs: 0,
      react: async (e: RecordedEvent) => void seen.push(e.type),
    };
    const reactor = new EventReactor(store, sql, options);
    await reactor.start();
    const head = await store.headPosition();
    await reactor.waitForPosition(head);
    const stored = async (): Promise<number | undefined> =>
      (await sql.query<{ position: number }>(`SELECT position FROM reactor_c.checkpoints WHERE name = 'idle'`)).rows[0]?.position;
    await eventually(async () => expect(await stored()).toBe(head));
    await store.append('departure-1', [event('DepartureStarted')], 'no_stream');
    await store.append('other-9', [event('Ignored')], 'no_stream');
    await reactor.waitForPosition(await store.headPosition());
    await reactor.stop();
    expect(seen).toEqual(['DepartureStarted']);
    expect(await stored()).toBe(await store.headPosition());
  });
});
