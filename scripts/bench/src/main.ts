import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { declarationBench, rosterBench } from './attribution-bench';
import { importBench } from './import-bench';
import { eventStoreBench } from './event-store-bench';
import { relayBench } from './relay-bench';
import { accessibilityBench } from './accessibility-bench';
import { billingBench } from './billing-bench';

async function brokerReachable(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({ brokers, clientId: 'bench-probe', logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000 }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect();
  }
}

const BENCHES = ['event-store', 'relay', 'attribution-declarations', 'attribution-roster', 'attribution-import', 'accessibility', 'billing'] as const;

function integer(name: string, value: string | undefined, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${value}`);
  return n;
}

/**
 * `npm run bench [-- --events 20000 --only event-store,relay,attribution]`. `--only` (or PCN_BENCH)
 * takes a comma-separated list of benches; `attribution` selects both attribution benches.
 * PG_URL selects the PostgreSQL server, KAFKA_BROKERS the broker of the relay benchmark,
 * PCN_BENCH_ROSTER_PATIENTS (or --roster-patients) the size of the roster rebuild,
 * PCN_BENCH_IMPORT_PATIENTS (or --import-patients) that of the bulk onboarding, PCN_BENCH_ROUNDS
 * (or --rounds) the rounds whose min and median are reported. `accessibility` runs E2SFCA over the
 * whole country, indexed and all pairs (--accessibility-centres, --accessibility-outside-communes,
 * --accessibility-rounds, --accessibility-naive-rounds). PCN_BENCH_BILLING_PATIENTS (or
 * --billing-patients) and --billing-centres size the monthly capitation run.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000' },
      batch: { type: 'string', default: '10' },
      writers: { type: 'string', default: '8' },
      prefill: { type: 'string', default: '100000' },
      'no-postgres': { type: 'boolean', default: false },
      'latency-samples': { type: 'string', default: '500' },
      only: { type: 'string', default: process.env.PCN_BENCH ?? '' },
      'attribution-patients': { type: 'string', default: '5000' },
      'attribution-concurrency': { type: 'string', default: '16' },
      'attribution-centres': { type: 'string', default: '20' },
      'attribution-gps': { type: 'string', default: '200' },
      'attribution-background': { type: 'string', default: '100000' },
      'roster-patients': { type: 'string', default: process.env.PCN_BENCH_ROSTER_PATIENTS ?? '1000000' },
      'import-patients': { type: 'string', default: process.env.PCN_BENCH_IMPORT_PATIENTS ?? '1000000' },
      'import-batch': { type: 'string', default: '1000' },
      'import-lanes': { type: 'string', default: '2' },
      rounds: { type: 'string', default: process.env.PCN_BENCH_ROUNDS ?? '3' },
      'accessibility-centres': { type: 'string', default: '3000' },
      'accessibility-outside-communes': { type: 'string', default: '35000' },
      'accessibility-rounds': { type: 'string', default: '10' },
      'accessibility-naive-rounds': { type: 'string', default: '1' },
      'billing-patients': { type: 'string', default: process.env.PCN_BENCH_BILLING_PATIENTS ?? '1000000' },
      'billing-centres': { type: 'string', default: '200' },
    },
  });
  const only = values.only
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = only.filter((name) => name !== 'attribution' && !(BENCHES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown bench ${unknown.join(', ')}: choose among ${BENCHES.join(', ')}, attribution`);
  const selected = (name: (typeof BENCHES)[number]): boolean =>
    only.length === 0 || only.includes(name) || (name.startsWith('attribution-') && only.includes('attribution'));
  const events = Number(values.events);
  if (!Number.isInteger(events) || events < 100) throw new Error(`--events must be an integer >= 100, got ${values.events}`);
  const pgUrl = values['no-postgres'] ? undefined : (process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  if (selected('event-store')) {
    const prefill = integer('--prefill', values.prefill, 0);
    await eventStoreBench({ events, batch: Number(values.batch), writers: Number(values.writers), prefill, ...(pgUrl && { pgUrl }) });
  }
  if (selected('relay')) {
    const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    if (await brokerReachable(brokers)) {
      await relayBench({ brokers, events, latencySamples: Number(values['latency-samples']), ...(pgUrl && { pgUrl }) });
    } else {
      process.stdout.write(`
Relay: not measured: no Kafka broker answers at ${brokers.join(',')} (start one with npm run infra:up).\n`);
    }
  }
  if (selected('attribution-declarations')) {
    await declarationBench({
      patients: integer('--attribution-patients', values['attribution-patients']),
      concurrency: integer('--attribution-concurrency', values['attribution-concurrency']),
      centres: integer('--attribution-centres', values['attribution-centres']),
      gps: integer('--attribution-gps', values['attribution-gps']),
      background: integer('--attribution-background', values['attribution-background'], 0),
      rounds: integer('--rounds', values.rounds),
      ...(pgUrl && { pgUrl }),
    });
  }
  if (selected('attribution-roster')) {
    await rosterBench({
      patients: integer('PCN_BENCH_ROSTER_PATIENTS / --roster-patients', values['roster-patients']),
      rounds: integer('--rounds', values.rounds),
      ...(pgUrl && { pgUrl }),
    });
  }
  if (selected('attribution-import')) {
    await importBench({
      patients: integer('PCN_BENCH_IMPORT_PATIENTS / --import-patients', values['import-patients']),
      batch: integer('--import-batch', values['import-batch']),
      lanes: integer('--import-lanes', values['import-lanes']),
      ...(pgUrl && { pgUrl }),
    });
  }
  if (selected('accessibility')) {
    accessibilityBench({
      centres: integer('--accessibility-centres', values['accessibility-centres']),
      outsideCommunes: integer('--accessibility-outside-communes', values['accessibility-outside-communes'], 0),
      rounds: integer('--accessibility-rounds', values['accessibility-rounds']),
      naiveRounds: integer('--accessibility-naive-rounds', values['accessibility-naive-rounds']),
    });
  }
  if (selected('billing')) {
    await billingBench({
      patients: integer('PCN_BENCH_BILLING_PATIENTS / --billing-patients', values['billing-patients']),
      centres: integer('--billing-centres', values['billing-centres']),
      rounds: integer('--rounds', values.rounds),
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
