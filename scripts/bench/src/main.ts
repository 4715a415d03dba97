import { parseArgs } from 'node:util';
import { eventStoreBench } from './event-store-bench';

/** `npm run bench [-- --events 20000 --only event-store]`. PG_URL selects the PostgreSQL server. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000' },
      batch: { type: 'string', default: '10' },
      writers: { type: 'string', default: '8' },
      'no-postgres': { type: 'boolean', default: false },
    },
  });
  const events = Number(values.events);
  if (!Number.isInteger(events) || events < 100) throw new Error(`--events must be an integer >= 100, got ${values.events}`);
  const pgUrl = values['no-postgres'] ? undefined : (process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  await eventStoreBench({ events, batch: Number(values.batch), writers: Number(values.writers), ...(pgUrl && { pgUrl }) });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
