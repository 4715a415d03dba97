import { randomBytes } from 'node:crypto';
import { PgSqlClient, SqlEventStore } from '@pcn/eventsourcing';
import { declarationRaces } from '../testing';

// PostgreSQL with a pool of connections: the racers' appends truly run side by side.
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

declarationRaces(`the SQL store on PostgreSQL (${PG_URL})`, async () => {
  const sql = new PgSqlClient({ connectionString: PG_URL, max: 16 });
  const schema = `attribution_races_${randomBytes(4).toString('hex')}`;
  return {
    sql,
    schema,
    store: await SqlEventStore.open(sql, schema, { pollIntervalMs: 5 }),
    cleanup: async () => {
      await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await sql.close();
    },
  };
});
