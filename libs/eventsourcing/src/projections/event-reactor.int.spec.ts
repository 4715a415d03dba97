import { EventReactor } from './event-reactor';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { PgliteSqlClient } from '../sql/pglite-client';
import type { RecordedEvent } from '../store/event';

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
    const options = { name: 'r1', schema: 'reactor_a', filter: { streamPrefixes: ['order-'] }, react: async (e: RecordedEvent) => void seen.push(`${e.streamId}:${e.type}`) };
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
});
