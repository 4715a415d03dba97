import { randomBytes } from 'node:crypto';
import { PgSqlClient } from '../sql/pg-client';
import { SqlEventStore } from './sql-event-store';
import { eventStoreContract, newEvent } from '../testing/event-store-contract';
import { sqlEventStoreSpecifics } from '../testing/sql-event-store-specifics';

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const run = randomBytes(4).toString('hex');
const schemas: string[] = [];
let sql: PgSqlClient;

beforeAll(() => {
  sql = new PgSqlClient({ connectionString: PG_URL, max: 16 });
});
afterAll(async () => {
  for (const s of schemas) await sql.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await sql.close();
});

describe(`SqlEventStore on PostgreSQL (${PG_URL})`, () => {
  eventStoreContract({
    parallel: true,
    create: () => {
      const schema = `es_contract_${run}_${schemas.length}`;
      schemas.push(schema);
      return SqlEventStore.open(sql, schema, { pollIntervalMs: 5 });
    },
  });
});

describe(`SqlEventStore on PostgreSQL, beyond the contract`, () => {
  sqlEventStoreSpecifics(
    () => sql,
    () => {
      const schema = `es_specific_${run}_${schemas.length}`;
      schemas.push(schema);
      return schema;
    },
  );
});

describe('SqlEventStore readers on PostgreSQL: the frontier', () => {
  const open = async (): Promise<{ store: SqlEventStore; schema: string }> => {
    const schema = `es_frontier_${run}_${schemas.length}`;
    schemas.push(schema);
    return { store: await SqlEventStore.open(sql, schema), schema };
  };

  it('is not held back by a write transaction that is not an append to this schema', async () => {
    const { store } = await open();
    const other = await open();
    const seen = await sql.transaction(async (tx) => {
      // A transaction with an id, in flight, writing elsewhere (another schema's table).
      await tx.query(`CREATE TABLE ${other.schema}.busy (n int)`);
      await tx.query(`INSERT INTO ${other.schema}.busy VALUES (1)`);
      await store.append('centre-1', [newEvent('Opened')], 'no_stream');
      return (await store.readAll()).map((e) => e.type);
    });
    expect(seen).toEqual(['Opened']);
  });

  it('holds readers below an append to this schema still in flight, then shows everything in order', async () => {
    const { store, schema } = await open();
    await store.append('centre-0', [newEvent('Before')], 'no_stream');
    let during: string[] = [];
    let head = -1;
    await sql.transaction(async (tx) => {
      // What an append in flight looks like from outside: a stream lock of this schema, then a transaction id.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('pcn-es:${schema}'), hashtext('centre-9'))`);
      await tx.query('SELECT pg_current_xact_id()');
      await store.append('centre-1', [newEvent('After')], 'no_stream');
      during = (await store.readAll()).map((e) => e.type);
      head = await store.headPosition();
    });
    expect(during).toEqual(['Before']);
    expect(head).toBe(1);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['Before', 'After']);
  });
});
