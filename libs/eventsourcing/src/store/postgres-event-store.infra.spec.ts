import { randomBytes } from 'node:crypto';
import { PgSqlClient } from '../sql/pg-client';
import { SqlEventStore } from './sql-event-store';
import { eventStoreContract } from '../testing/event-store-contract';
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
