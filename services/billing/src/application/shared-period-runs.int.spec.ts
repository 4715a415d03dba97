import { PgliteSqlClient } from '@pcn/eventsourcing';
import { InMemoryBus } from '@pcn/messaging';
import { statementStreamId, type CentreRunRequest } from '../domain';
import { BillingClient } from '../cli/billing-client';
import { runPeriodCommand } from '../cli/commands';
import { serveBillingOverGrpc, startBilling, type BillingFixture } from '../testing';
import type { RunProgress } from './ports';

const CENTRES = ['930000013', '750712184', '690000013'];
const PERIOD = '2026-03';

let sql: PgliteSqlClient;
let bus: InMemoryBus;
let shared: BillingFixture;
let local: BillingFixture;

async function feed(fx: BillingFixture): Promise<void> {
  for (const [i, finess] of CENTRES.entries()) {
    await fx.facts.accredit(finess, '2025-01-01');
    for (let p = 0; p <= i; p++) await fx.facts.declare(`p-${i}-${p}`, `a-${i}-${p}`, finess, p === 0 ? '2025-06-01' : '2026-03-12');
  }
  // A centre with no patient: nothing to state, in both modes.
  await fx.facts.accredit('930000021', '2025-01-01');
}

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  bus = new InMemoryBus({ pollIntervalMs: 20 });
  // Embedded mode with shared runs: the in-process bus carries the work items to the one instance.
  shared = await startBilling({ sql, schema: 'billing_shared', bus, runs: 'shared', instance: 'instance-a' });
  local = await startBilling({ sql, schema: 'billing_local' });
  await feed(shared);
  await feed(local);
}, 60_000);

afterAll(async () => {
  await shared?.stop();
  await local?.stop();
  await bus?.close();
  await sql?.close();
});

const computations = async (fx: BillingFixture, finess: string): Promise<number> =>
  (await fx.module.store.readStream(statementStreamId(finess, PERIOD))).filter((e) => e.type === 'StatementComputed').length;

describe('a period run shared through work items', () => {
  it('computes every centre once, reports each as its result appears, and answers what a local run answers', async () => {
    const progress: RunProgress[] = [];
    const result = await shared.module.billing.runPeriod({ period: PERIOD, runBy: 'billing:agent-1' }, (p) => progress.push(p));
    const expected = await local.module.billing.runPeriod({ period: PERIOD, runBy: 'billing:agent-1' });
    expect(result.centres).toEqual(expected.centres);
    expect(result.centres.map((c) => c.outcome)).toEqual(['computed', 'computed', 'computed']);
    expect(result.scheduleVersion).toBe(expected.scheduleVersion);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(new Set(progress.map((p) => p.finess))).toEqual(new Set([...CENTRES, '930000021']));
    expect(progress.every((p) => p.total === 4)).toBe(true);
    for (const finess of CENTRES) expect(await computations(shared, finess)).toBe(1);
    const runStreams = await shared.module.store.readAll({ filter: { streamPrefixes: ['run-centre-'] } });
    expect(runStreams.map((e) => e.data)).toEqual(
      expect.arrayContaining([expect.objectContaining({ finess: '930000021', outcome: 'nothing', computedBy: 'instance-a' })]),
    );
  });

  it('run again, reports every centre unchanged, like a local run', async () => {
    const again = await shared.module.billing.runPeriod({ period: PERIOD, runBy: 'billing:agent-1' });
    const expected = await local.module.billing.runPeriod({ period: PERIOD, runBy: 'billing:agent-1' });
    expect(again.centres).toEqual(expected.centres);
    expect(again.centres.map((c) => c.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('records nothing when a work item comes again', async () => {
    const [request] = await shared.module.store
      .readAll({ filter: { streamPrefixes: ['run-request-'] } })
      .then((events) => events.filter((e) => e.type === 'CentreRunRequested'));
    const head = await shared.module.store.headPosition();
    await shared.module.billing.sharedRuns!.work(request!.data as unknown as CentreRunRequest);
    expect(await shared.module.store.headPosition()).toBe(head);
  });

  it('runs one centre in the instance called, without work items', async () => {
    const before = (await shared.module.store.readAll({ filter: { streamPrefixes: ['run-request-'] } })).length;
    const one = await shared.module.billing.runPeriod({ period: PERIOD, finess: CENTRES[1]!, runBy: 'billing:agent-1' });
    expect(one.centres).toEqual([expect.objectContaining({ finess: CENTRES[1], outcome: 'unchanged' })]);
    expect((await shared.module.store.readAll({ filter: { streamPrefixes: ['run-request-'] } })).length).toBe(before);
  });

  it('over gRPC, streams a progress message per centre result, then the summary, as the CLI shows it', async () => {
    await shared.facts.declare('p-late', 'a-late', CENTRES[0]!, '2026-03-20');
    const served = await serveBillingOverGrpc(shared);
    const token = (await shared.issuer.bearer('billing', undefined, 'agent-1')).slice('Bearer '.length);
    const client = new BillingClient({ target: served.address, token, deadlineMs: 20_000 });
    try {
      const bars: { total: number; value: number }[] = [];
      let output = '';
      const { summary } = await runPeriodCommand(
        client,
        { period: PERIOD },
        {
          out: (text) => void (output += text),
          err: () => undefined,
          progress: () => {
            const bar = { total: 0, value: 0 };
            bars.push(bar);
            return { start: (total) => void (bar.total = total), update: (value) => void (bar.value = value), stop: () => undefined };
          },
        },
      );
      expect(bars).toEqual([{ total: 4, value: 4 }]);
      expect(summary.centres.map((c) => c.centreFiness)).toEqual([...CENTRES].sort());
      // A new fact of one centre moves the log position, but only that centre's statement changes:
      // the others are unchanged and keep the position they were computed from.
      expect(output).toContain('1 computed, 2 unchanged, 0 already issued');
      expect(summary.centres.find((c) => c.centreFiness === CENTRES[0])?.lines).toBe(2);
    } finally {
      client.close();
      await served.stop();
    }
  });
});
