import { attributionEventsV1 as ev, registryEventsV1 as rev, registryV1 as rpb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { ATTRIBUTION_TOPIC, REGISTRY_TOPIC, type ReceivedMessage } from '@pcn/messaging';
import { attributionConsumer, registryConsumer } from './adapters/messaging/fact-consumers';
import { createBillingModule, type BillingModule } from './billing-service';
import type { CommuneProfiles } from './domain';
import { declaredMessage, factMessage } from './testing';

const CENTRE = '930000013';
const OTHER = '750000001';
const profiles: CommuneProfiles = () => ({ unemploymentBasisPoints: 700 });

let sql: PgliteSqlClient;
let n = 0;
/** The schema of the module last set up. */
let schema = '';
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

const message = factMessage;

const snapshot = (patientId: string, over: Partial<ev.PatientSnapshot> = {}): ev.PatientSnapshot => ({
  patientId,
  birthYearMonth: '1986-05',
  sex: 0,
  communeInsee: '93066',
  ald: [],
  c2s: [],
  ...over,
});
const centre = (finess: string): rev.CentreSnapshot =>
  rev.CentreSnapshot.fromPartial({
    finess,
    name: 'CDS',
    status: rpb.CentreStatus.CENTRE_STATUS_MEMBER,
    version: 2,
    memberSince: '2025-01-01',
    departement: '93',
    region: '11',
  });

async function setUp(): Promise<{
  module: BillingModule;
  attribution: (m: ReceivedMessage) => Promise<void>;
  registry: (m: ReceivedMessage) => Promise<void>;
}> {
  schema = `billing_${++n}`;
  const module = await createBillingModule({ sql, schema, communes: profiles });
  await module.start();
  return { module, attribution: attributionConsumer(module.billing), registry: registryConsumer(module.billing) };
}

async function accredit(registry: (m: ReceivedMessage) => Promise<void>, finess: string, on: string): Promise<void> {
  await registry(
    message(
      REGISTRY_TOPIC,
      'CentreAccredited',
      finess,
      rev.CentreAccredited.encode({ centre: centre(finess), occurredAt: new Date(`${on}T09:00:00Z`), accreditedOn: on }).finish(),
    ),
  );
}

async function declare(
  attribution: (m: ReceivedMessage) => Promise<void>,
  patientId: string,
  attributionId: string,
  finess: string,
  effectiveDate: string,
  patient = snapshot(patientId),
) {
  await attribution(declaredMessage(patientId, attributionId, finess, effectiveDate, patient));
}

describe('billing, from the facts it learns to reconciled statements', () => {
  let module: BillingModule;
  let attribution: (m: ReceivedMessage) => Promise<void>;
  let registry: (m: ReceivedMessage) => Promise<void>;
  beforeAll(async () => {
    ({ module, attribution, registry } = await setUp());
    await accredit(registry, CENTRE, '2025-01-01');
    await accredit(registry, OTHER, '2025-01-01');
    await declare(attribution, 'p-1', 'a-1', CENTRE, '2025-06-01');
    await declare(attribution, 'p-2', 'a-2', CENTRE, '2026-03-16', snapshot('p-2', { ald: [{ start: '2024-01-01', end: '' }], birthYearMonth: '1940-02' }));
    await declare(attribution, 'p-3', 'a-3', OTHER, '2025-01-01');
  }, 60_000);
  afterAll(() => module.stop());

  it('publishes the shipped default schedule at start, once', async () => {
    expect((await module.billing.scheduleVersions()).map((v) => v.version)).toEqual(['fmt-2026.1']);
    const second = await createBillingModule({ sql, schema, communes: profiles, store: module.store });
    await second.start();
    await second.stop();
    expect((await module.billing.scheduleVersions()).map((v) => v.version)).toEqual(['fmt-2026.1']);
  });

  it('runs a period for every centre, recording the schedule version and log position; a re-run changes nothing', async () => {
    const progress: number[] = [];
    const run = await module.billing.runPeriod({ period: '2026-03', runBy: 'billing@national' }, (p) => progress.push(p.done));
    expect(progress).toEqual([1, 2]);
    expect(run.scheduleVersion).toBe('fmt-2026.1');
    // p-1: 5 € × 31 / 365 = 42.47 → 42; p-2 (86, ALD): 100 € × 16 / 365 = 438.36 → 438.
    expect(run.centres.find((c) => c.finess === CENTRE)).toEqual({ finess: CENTRE, period: '2026-03', outcome: 'computed', lines: 2, totalCents: 480 });
    const statement = await module.billing.getStatement(CENTRE, '2026-03');
    expect(statement.computation).toEqual(
      expect.objectContaining({
        scheduleVersion: 'fmt-2026.1',
        logPosition: run.logPosition,
        lines: [
          { patientId: 'p-1', cents: 42 },
          { patientId: 'p-2', cents: 438 },
        ],
      }),
    );
    const again = await module.billing.runPeriod({ period: '2026-03', finess: CENTRE, runBy: 'billing@national' });
    expect(again.centres).toEqual([expect.objectContaining({ outcome: 'unchanged', totalCents: 480 })]);
    expect(again.logPosition).toBe(run.logPosition);
  });

  it('explains a line with its day segments', async () => {
    const why = await module.billing.explainLine(CENTRE, '2026-03', 'p-2');
    expect(why.statedCents).toBe(438);
    expect(why.line?.segments).toEqual([expect.objectContaining({ ageBand: '80-plus', chronic: true, annualCents: 10_000, commune: '93066' })]);
  });

  it('prices mission activity, issues, and never edits the issued statement', async () => {
    await module.billing.declareMissionActivity({ finess: CENTRE, period: '2026-03', line: 'team_coordination', units: 2, declaredBy: 'centre' });
    await module.billing.runPeriod({ period: '2026-03', finess: CENTRE, runBy: 'billing@national' });
    const issued = await module.billing.issueStatement({ finess: CENTRE, period: '2026-03', issuedOn: '2026-04-02', issuedBy: 'billing@national' });
    expect(issued.computation?.totalCents).toBe(480 + 10_000);
    await expect(
      module.billing.declareMissionActivity({ finess: CENTRE, period: '2026-03', line: 'team_coordination', units: 3, declaredBy: 'centre' }),
    ).rejects.toMatchObject({
      kind: 'failed_precondition',
    });
    const rerun = await module.billing.runPeriod({ period: '2026-03', runBy: 'billing@national' });
    expect(rerun.centres.find((c) => c.finess === CENTRE)?.outcome).toBe('issued');
  });

  it('puts a backdated end into adjustment lines of the next statement, so statements sum to the recomputation', async () => {
    await attribution(
      message(
        ATTRIBUTION_TOPIC,
        'AttributionEnded',
        'p-1',
        ev.AttributionEnded.encode(
          ev.AttributionEnded.fromPartial({ patientId: 'p-1', attributionId: 'a-1', endDate: '2026-03-11', centreFiness: CENTRE }),
        ).finish(),
      ),
    );
    const april = await module.billing.runPeriod({ period: '2026-04', finess: CENTRE, runBy: 'billing@national' });
    const statement = await module.billing.getStatement(CENTRE, '2026-04');
    // p-1 is worth 500 × 10 / 365 = 13.70 → 14 cents for March now, 42 were stated: −28.
    expect(statement.computation?.adjustmentLines).toEqual([{ originalPeriod: '2026-03', patientId: 'p-1', cents: -28 }]);
    expect(statement.computation?.lines.map((l) => l.patientId)).toEqual(['p-2']);
    expect(april.centres[0]?.outcome).toBe('computed');
  });

  it('matches payments: exact, short, unknown statement, already imported, malformed', async () => {
    async function* lines() {
      yield { lineNumber: 2, line: { payerReference: 'VIR-1', finess: CENTRE, period: '2026-03', amountCents: 10_000, paidOn: '2026-04-20' } };
      yield { lineNumber: 3, line: { payerReference: 'VIR-2', finess: OTHER, period: '2026-01', amountCents: 500, paidOn: '2026-04-20' } };
      yield { lineNumber: 4, error: 'amount: must be a decimal amount in euros, got "12,5x"' };
      yield { lineNumber: 5, line: { payerReference: 'VIR-1', finess: CENTRE, period: '2026-03', amountCents: 10_000, paidOn: '2026-04-20' } };
      yield { lineNumber: 6, line: { payerReference: 'VIR-3', finess: CENTRE, period: '2026-13', amountCents: 10, paidOn: '2026-04-20' } };
    }
    const progress: number[] = [];
    const result = await module.billing.importRemittance('remittance-1', lines(), (count) => progress.push(count));
    expect(result.counts).toEqual({ reconciled: 0, discrepancy: 1, exception: 1, already_imported: 1, rejected: 2 });
    expect(result.errors).toEqual([
      { lineNumber: 4, reason: expect.stringContaining('amount') },
      { lineNumber: 6, reason: expect.stringContaining('YYYY-MM') },
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    await module.projection.waitForPosition(await module.store.headPosition());
    const report = await module.billing.reconciliationReport({ period: '2026-03' });
    expect(report.statements.find((s) => s.finess === CENTRE)).toEqual(
      expect.objectContaining({
        expectedCents: 10_480,
        paidCents: 10_000,
        outstandingCents: 480,
        reconciled: false,
        discrepancies: [expect.objectContaining({ deltaCents: -480, status: 'open' })],
      }),
    );
    expect((await module.billing.reconciliationReport({ period: '2026-01' })).exceptions).toEqual([
      expect.objectContaining({ payerReference: 'VIR-2', reason: expect.stringContaining('no statement') }),
    ]);
  });

  it('lets billing staff resolve a discrepancy; a follow-up payment then reconciles the statement', async () => {
    const [open] = await module.billing.listDiscrepancies({ finess: CENTRE, status: 'open' });
    await module.billing.resolveDiscrepancy({
      finess: CENTRE,
      period: '2026-03',
      discrepancyId: open!.discrepancyId,
      resolution: 'expected_follow_up',
      reason: 'second instalment announced',
      resolvedBy: 'billing@national',
    });
    expect(
      await module.billing.recordPayment('remittance-2', {
        payerReference: 'VIR-4',
        finess: CENTRE,
        period: '2026-03',
        amountCents: 480,
        paidOn: '2026-05-02',
      }),
    ).toBe('reconciled');
    const statement = await module.billing.getStatement(CENTRE, '2026-03');
    expect(statement.reconciled).toBe(true);
    expect(statement.discrepancies).toEqual([
      expect.objectContaining({ status: 'resolved', resolution: expect.objectContaining({ resolution: 'expected_follow_up' }) }),
    ]);
  });

  it('rebuilds its read model from position 0 to the same statements and facts', async () => {
    await module.projection.waitForPosition(await module.store.headPosition());
    const before = { statements: await module.billing.listStatements({}), report: await module.billing.reconciliationReport({ period: '2026-01' }) };
    await module.projection.rebuild();
    await module.projection.waitForPosition(await module.store.headPosition());
    expect({ statements: await module.billing.listStatements({}), report: await module.billing.reconciliationReport({ period: '2026-01' }) }).toEqual(before);
    const rerun = await module.billing.runPeriod({ period: '2026-04', finess: CENTRE, runBy: 'billing@national' });
    expect(rerun.centres[0]?.outcome).toBe('unchanged');
  });

  it('refuses a period that is not a month, and a run with no schedule in force', async () => {
    await expect(module.billing.runPeriod({ period: '2026-3', runBy: 'b' })).rejects.toMatchObject({
      kind: 'invalid_argument',
      violations: [expect.objectContaining({ field: 'period' })],
    });
    await expect(module.billing.runPeriod({ period: '2025-12', runBy: 'b' })).rejects.toMatchObject({ kind: 'failed_precondition' });
    await expect(module.billing.runPeriod({ period: '2026-03', finess: '990000000', runBy: 'b' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
