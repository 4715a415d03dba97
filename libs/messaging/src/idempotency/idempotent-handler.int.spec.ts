import { PgliteSqlClient } from '@pcn/eventsourcing';
import type { ReceivedMessage } from '../message';
import { testMessage } from '../testing/bus-contract';
import { idempotentHandler, inMemoryIdempotentHandler, InMemoryProcessedMessages, migrateProcessedMessages } from './idempotent-handler';

let sql: PgliteSqlClient;
let n = 0;
const received = (body: string): ReceivedMessage => ({ ...testMessage('centre-1', body), topic: 't', partition: 0, offset: String(++n), attempt: 1 });

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(async () => {
  await sql.close();
});

describe('idempotentHandler (SQL)', () => {
  let schema: string;
  const effects = async (): Promise<string[]> => (await sql.query<{ body: string }>(`SELECT body FROM ${schema}.effects ORDER BY seq`)).rows.map((r) => r.body);
  const recordEffect = (consumer: string) =>
    idempotentHandler({
      sql,
      consumer,
      schema,
      handler: async (m, tx) => void (await tx.query(`INSERT INTO ${schema}.effects (body) VALUES ($1)`, [`${consumer}:${new TextDecoder().decode(m.data)}`])),
    });

  beforeEach(async () => {
    schema = `idem_${++n}`;
    await migrateProcessedMessages(sql, schema);
    await migrateProcessedMessages(sql, schema);
    await sql.query(`CREATE TABLE ${schema}.effects (seq serial PRIMARY KEY, body text NOT NULL)`);
  });

  it('applies the effect of a redelivered or duplicated message once', async () => {
    const handle = recordEffect('attribution');
    const msg = received('declared');
    await handle(msg);
    await handle({ ...msg, attempt: 2 });
    await handle({ ...msg, offset: '999' });
    await handle(received('changed'));
    expect(await effects()).toEqual(['attribution:declared', 'attribution:changed']);
  });

  it('applies it once per consumer', async () => {
    const msg = received('declared');
    await recordEffect('attribution')(msg);
    await recordEffect('billing')(msg);
    await recordEffect('billing')(msg);
    expect(await effects()).toEqual(['attribution:declared', 'billing:declared']);
  });

  it('rolls the marker back with the effect when the handler fails, so the redelivery runs it', async () => {
    const msg = received('declared');
    let fail = true;
    const handle = idempotentHandler({
      sql,
      consumer: 'attribution',
      schema,
      handler: async (m, tx) => {
        await tx.query(`INSERT INTO ${schema}.effects (body) VALUES ($1)`, ['written before the failure']);
        if (fail) throw new Error('panel capacity service unavailable');
      },
    });
    await expect(handle(msg)).rejects.toThrow('panel capacity service unavailable');
    expect(await effects()).toEqual([]);
    const { rows } = await sql.query(`SELECT * FROM ${schema}.processed_messages`);
    expect(rows).toEqual([]);
    fail = false;
    await handle(msg);
    expect(await effects()).toEqual(['written before the failure']);
  });
});

describe('inMemoryIdempotentHandler', () => {
  it('skips a message the consumer already handled, and marks it only after success', async () => {
    const processed = new InMemoryProcessedMessages();
    const seen: string[] = [];
    let fail = true;
    const handle = inMemoryIdempotentHandler({
      processed,
      consumer: 'attribution',
      handler: async (m) => {
        if (fail) throw new Error('transient');
        seen.push(m.id);
      },
    });
    const msg = received('declared');
    await expect(handle(msg)).rejects.toThrow('transient');
    expect(processed.has('attribution', msg.id)).toBe(false);
    fail = false;
    await handle(msg);
    await handle(msg);
    expect(seen).toEqual([msg.id]);
    expect(processed.has('billing', msg.id)).toBe(false);
  });
});
