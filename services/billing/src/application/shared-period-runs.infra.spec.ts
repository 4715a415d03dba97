import { randomUUID } from 'node:crypto';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { eventually } from '@pcn/eventsourcing/testing';
import { KafkaBus } from '@pcn/messaging';
import { createLogger } from '@pcn/observability';
import { finessCheckDigit } from '@pcn/referential';
import { Registry } from 'prom-client';
import { statementStreamId, type CentreRunResult } from '../domain';
import { scopedBus, startBilling, type BillingFixture } from '../testing';

// The broker is the lead's (KAFKA_BROKERS): topics and groups carry this run's scope, so the test
// neither reads a running backbone's messages nor joins its consumer groups.
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const scope = `billing-runs-spec.${randomUUID().slice(0, 8)}`;
const PERIOD = '2026-03';
const CENTRES = Array.from({ length: 12 }, (_, i) => {
  const first8 = `93${String(100_000 + i).padStart(6, '0')}`;
  return `${first8}${finessCheckDigit(first8)}`;
}).sort();

const kafka = (clientId: string): KafkaBus =>
  new KafkaBus({
    brokers,
    clientId,
    topicPartitions: 3,
    logger: createLogger({ service: clientId, level: 'warn' }),
    registry: new Registry(),
    // Group timings scaled down for tests: 6 s is the broker's minimum session timeout.
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeMs: 100,
  });

let sql: PgliteSqlClient;
let busA: KafkaBus;
let busB: KafkaBus;
let a: BillingFixture;
let b: BillingFixture;
let single: BillingFixture;

async function feed(fx: BillingFixture): Promise<void> {
  for (const [i, finess] of CENTRES.entries()) {
    await fx.facts.accredit(finess, '2025-01-01');
    for (let p = 0; p < 1 + (i % 3); p++) await fx.facts.declare(`p-${i}-${p}`, `a-${i}-${p}`, finess, p === 0 ? '2025-06-01' : `2026-03-1${p}`);
  }
}

jest.setTimeout(120_000);

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  busA = kafka('billing-runs-a');
  busB = kafka('billing-runs-b');
  // Two billing instances on one event store (each with its read model), in one consumer group of the work topic.
  a = await startBilling({ sql, schema: 'runs_a', bus: scopedBus(busA, scope), runs: 'shared', instance: 'instance-a' });
  b = await startBilling({ sql, schema: 'runs_b', store: a.module.store, bus: scopedBus(busB, scope), runs: 'shared', instance: 'instance-b' });
  // The reference: one instance computing locally on a store of its own, from the same facts.
  single = await startBilling({ sql, schema: 'runs_single' });
  await feed(a);
  await feed(single);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await single?.stop();
  await busA?.close();
  await busB?.close();
  await sql?.close();
});

describe('a period run shared by two billing instances over Kafka', () => {
  it('computes every centre exactly once, across both instances, with the results of a single-instance run', async () => {
    const progress: string[] = [];
    const result = await a.module.billing.runPeriod({ period: PERIOD, runBy: 'billing:agent-1' }, (p) => progress.push(p.finess));
    const expected = await single.module.billing.runPeriod({ period: PERIOD, runBy: 'billing:agent-1' });

    expect(result.centres).toEqual(expected.centres);
    expect(result.centres).toHaveLength(CENTRES.length);
    expect(result.centres.every((c) => c.outcome === 'computed')).toBe(true);
    expect([...progress].sort()).toEqual(CENTRES);

    const store = a.module.store;
    for (const finess of CENTRES) {
      const computed = (await store.readStream(statementStreamId(finess, PERIOD))).filter((e) => e.type === 'StatementComputed');
      expect(computed).toHaveLength(1);
    }
    // Both relays published the work items (one per instance): the second copy of each found its result and recorded nothing.
    const results = (await store.readAll({ filter: { streamPrefixes: ['run-centre-'] } })).map((e) => e.data as unknown as CentreRunResult);
    expect(results.map((r) => r.finess).sort()).toEqual(CENTRES);
    const byInstance = new Map<string, number>();
    for (const r of results) byInstance.set(r.computedBy, (byInstance.get(r.computedBy) ?? 0) + 1);
    expect([...byInstance.keys()].sort()).toEqual(['instance-a', 'instance-b']);
    process.stdout.write(`shared run: ${JSON.stringify(Object.fromEntries(byInstance))} centres per instance\n`);
  });

  it('asked from the other instance, finds every statement unchanged', async () => {
    const again = await b.module.billing.runPeriod({ period: PERIOD, runBy: 'billing:agent-1' });
    expect(again.centres.map((c) => c.outcome)).toEqual(CENTRES.map(() => 'unchanged'));
    await eventually(async () => {
      const totals = (await single.module.billing.listStatements({ period: PERIOD })).map((s) => [s.finess, s.computation?.totalCents]);
      expect((await b.module.billing.listStatements({ period: PERIOD })).map((s) => [s.finess, s.computation?.totalCents])).toEqual(totals);
    });
  });
});
