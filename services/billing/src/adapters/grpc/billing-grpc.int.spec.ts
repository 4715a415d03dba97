import { Metadata, type ServiceError, status as Status } from '@grpc/grpc-js';
import { billingV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { callUnary, createClient, parseGrpcErrorDetails, withAuthorization } from '@pcn/grpc';
import type { ServedGrpc } from '@pcn/service/testing';
import { serveBillingOverGrpc, startBilling, type BillingFixture } from '../../testing';

const CENTRE = '930000013';
const ACTOR = 'billing:agent-1';

let sql: PgliteSqlClient;
let fx: BillingFixture;
let server: ServedGrpc;
let client: pb.CapitationBillingClient;
let issuer: BillingFixture['issuer'];

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startBilling({ sql, schema: 'billing_grpc' });
  await fx.facts.accredit(CENTRE, '2025-01-01');
  await fx.facts.declare('p-1', 'a-1', CENTRE, '2025-06-01');
  issuer = fx.issuer;
  server = await serveBillingOverGrpc(fx);
  // Every call as billing staff unless it says otherwise: the verified identity is the actor the statements record.
  const authorization = await issuer.bearer('billing', undefined, 'agent-1');
  client = createClient(pb.CapitationBillingClient, server.address, { clientOptions: { interceptors: [withAuthorization(authorization)] } });
}, 60_000);

afterAll(async () => {
  client.close();
  await server.stop();
  await fx.stop();
  await sql.close();
});

// x-pcn-actor is ignored: the actor is the token's identity (ADR 0024).
const metadata = { 'x-pcn-actor': 'national_coordinator:someone-else' };

function runPeriod(period: string): Promise<pb.RunPeriodResponse[]> {
  const stream = client.runPeriod(pb.RunPeriodRequest.fromPartial({ period }), new Metadata(), { deadline: new Date(Date.now() + 10_000) });
  const messages: pb.RunPeriodResponse[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (m: pb.RunPeriodResponse) => messages.push(m));
    stream.on('error', reject);
    stream.on('end', () => resolve(messages));
  });
}

function importRemittance(items: pb.ImportRemittanceRequest['item'][]): Promise<pb.ImportRemittanceResponse> {
  return new Promise((resolve, reject) => {
    const stream = client.importRemittance(new Metadata(), { deadline: new Date(Date.now() + 10_000) }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
    for (const item of items) stream.write({ item });
    stream.end();
  });
}

describe('pcn.billing.v1.CapitationBilling', () => {
  it('answers the shipped schedule, and refuses an inconsistent one naming each field', async () => {
    const schedule = await callUnary(client, 'getRateSchedule', pb.GetRateScheduleRequest.fromPartial({}), { deadlineMs: 5000 });
    expect(schedule.version).toBe('fmt-2026.1');
    const asBillingStaff = await callUnary(client, 'publishRateSchedule', { schedule }).catch((e: ServiceError) => e);
    expect(asBillingStaff).toMatchObject({ code: Status.PERMISSION_DENIED });
    // Schedules are published by national coordinators (the access policy).
    const coordinator = { authorization: await issuer.bearer('national_coordinator') };
    const error = (await callUnary(
      client,
      'publishRateSchedule',
      { schedule: { ...schedule, version: 'x', effectiveFrom: '2026-13-01' } },
      { metadata: coordinator },
    ).catch((e: unknown) => e)) as ServiceError;
    const details = parseGrpcErrorDetails(error);
    expect(details.code).toBe(Status.INVALID_ARGUMENT);
    expect(details.fieldViolations?.map((v) => v.field)).toContain('effectiveFrom');
  });

  it('declares mission activity, runs the period with one progress message per centre then the summary, and issues', async () => {
    const declared = await callUnary(
      client,
      'declareMissionActivity',
      { centreFiness: CENTRE, period: '2026-03', line: 'team_coordination', units: 2 },
      { metadata },
    );
    expect(declared.declaredMissionUnits).toEqual({ team_coordination: 2 });
    const bad = (await callUnary(client, 'declareMissionActivity', { centreFiness: CENTRE, period: '2026-03', line: 'golf', units: 1 }).catch(
      (e: unknown) => e,
    )) as ServiceError;
    expect(bad.code).toBe(Status.INVALID_ARGUMENT);

    const messages = await runPeriod('2026-03');
    expect(messages.map((m) => m.event?.$case)).toEqual(['progress', 'summary']);
    expect(messages[0]!.event).toEqual({ $case: 'progress', value: { done: 1, total: 1, centreFiness: CENTRE, lines: 1 } });
    const summary = messages[1]!.event?.$case === 'summary' ? messages[1]!.event.value : undefined;
    expect(summary?.centres).toEqual([expect.objectContaining({ centreFiness: CENTRE, outcome: pb.RunOutcome.RUN_OUTCOME_COMPUTED, lines: 1 })]);

    const issued = await callUnary(client, 'issueStatement', { centreFiness: CENTRE, period: '2026-03', issuedOn: '2026-04-02' }, { metadata });
    expect(issued).toMatchObject({
      status: pb.StatementStatus.STATEMENT_STATUS_ISSUED,
      issuedBy: ACTOR,
      capitationLineCount: 1,
      scheduleVersion: 'fmt-2026.1',
    });
    expect(issued.totalCents).toBe(issued.capitationCents + issued.missionCents);
  });

  it('answers NOT_FOUND for a period of a centre billing does not know, in the stream status', async () => {
    const md = new Metadata();
    const stream = client.runPeriod(pb.RunPeriodRequest.fromPartial({ period: '2026-03', centreFiness: '750000001' }), md);
    const error = await new Promise<ServiceError>((resolve) => {
      stream.on('data', () => undefined);
      stream.on('error', resolve);
    });
    expect(error.code).toBe(Status.NOT_FOUND);
  });

  it('imports a streamed remittance: a short payment is a discrepancy, a bad line is reported by number; then resolved and reported', async () => {
    const statement = await callUnary(client, 'getStatement', { centreFiness: CENTRE, period: '2026-03' });
    const result = await importRemittance([
      { $case: 'header', value: { remittanceId: 'rem-1' } },
      {
        $case: 'line',
        value: {
          lineNumber: 2,
          payerReference: 'PAY-1',
          centreFiness: CENTRE,
          period: '2026-03',
          amountCents: statement.totalCents - 100,
          paidOn: '2026-04-20',
        },
      },
      { $case: 'line', value: { lineNumber: 3, payerReference: 'PAY-2', centreFiness: CENTRE, period: '2026-3', amountCents: 10, paidOn: '2026-04-20' } },
    ]);
    expect(result).toMatchObject({ discrepancy: 1, rejected: 1, reconciled: 0 });
    expect(result.errors).toEqual([{ lineNumber: 3, reason: expect.stringContaining('period') }]);

    const { discrepancies } = await callUnary(
      client,
      'listDiscrepancies',
      pb.ListDiscrepanciesRequest.fromPartial({ status: pb.DiscrepancyStatus.DISCREPANCY_STATUS_OPEN }),
    );
    expect(discrepancies).toEqual([expect.objectContaining({ centreFiness: CENTRE, period: '2026-03', deltaCents: -100 })]);
    const resolved = await callUnary(
      client,
      'resolveDiscrepancy',
      { centreFiness: CENTRE, period: '2026-03', discrepancyId: discrepancies[0]!.discrepancyId, resolution: 'write_off', reason: 'below the threshold' },
      { metadata },
    );
    expect(resolved.discrepancies[0]).toMatchObject({ status: pb.DiscrepancyStatus.DISCREPANCY_STATUS_RESOLVED, resolvedBy: ACTOR });

    const report = await callUnary(client, 'getReconciliationReport', pb.GetReconciliationReportRequest.fromPartial({ period: '2026-03' }));
    expect(report.statements).toEqual([expect.objectContaining({ centreFiness: CENTRE, outstandingCents: 100 })]);
  });

  it('refuses a remittance whose first message is not a header', async () => {
    const error = (await importRemittance([
      { $case: 'line', value: { lineNumber: 1, payerReference: 'P', centreFiness: CENTRE, period: '2026-03', amountCents: 1, paidOn: '2026-04-20' } },
    ]).catch((e: unknown) => e)) as ServiceError;
    expect(parseGrpcErrorDetails(error).fieldViolations).toEqual([{ field: 'header.remittanceId', description: expect.stringContaining('first message') }]);
  });
});
