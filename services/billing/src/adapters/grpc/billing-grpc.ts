import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { billingV1 as pb } from '@pcn/contracts';
import { ValidationError } from '@pcn/eventsourcing';
import { grpcService, type UnaryOptions } from '@pcn/grpc';
import type { Billing, RemittanceLine } from '../../application/billing';
import type { MissionLine } from '../../domain';
import { statementCsv, STATEMENT_CSV_TYPE } from '../files/statement-csv';
import { statementFhirBundle, STATEMENT_FHIR_TYPE } from '../files/statement-fhir';
import {
  discrepancyStatusOf,
  optional,
  rateScheduleOf,
  toDiscrepancyMessage,
  toProgressMessage,
  toRateScheduleMessage,
  toReportMessage,
  toStatementMessage,
  toSummaryMessage,
} from './billing-messages';

/** Pieces of an exported file: small enough for any message limit, large enough to be few. */
export const EXPORT_CHUNK_BYTES = 64 * 1024;

async function sendFile(text: string, contentType: string, send: (chunk: pb.FileChunk) => Promise<void>): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at === 0 || at < bytes.length; at += EXPORT_CHUNK_BYTES) await send({ contentType, data: bytes.subarray(at, at + EXPORT_CHUNK_BYTES) });
}

type RemittanceItem = { lineNumber: number; line?: RemittanceLine; error?: string };

/**
 * The remittance's name from its first message, then its lines. A line is handed on as it is:
 * the application reports each refused line with its number and goes on.
 */
async function remittanceOf(requests: AsyncIterable<pb.ImportRemittanceRequest>): Promise<{ remittanceId: string; lines: AsyncIterable<RemittanceItem> }> {
  const iterator = requests[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = first.done ? undefined : first.value.item;
  if (header?.$case !== 'header' || header.value.remittanceId.trim() === '')
    throw ValidationError.field('header.remittanceId', 'the first message must be a header naming the remittance');
  async function* lines(): AsyncIterable<RemittanceItem> {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const item = next.value.item;
      if (item?.$case !== 'line') throw ValidationError.field('header', 'only the first message may be a header; the next ones are lines');
      const l = item.value;
      yield {
        lineNumber: l.lineNumber,
        line: { payerReference: l.payerReference, finess: l.centreFiness, period: l.period, amountCents: l.amountCents, paidOn: l.paidOn },
      };
    }
  }
  return { remittanceId: header.value.remittanceId, lines: lines() };
}

/** `pcn.billing.v1.CapitationBilling` over the billing application; the caller's actor is who acts. */
export function capitationBillingGrpc(billing: Billing, options: UnaryOptions): UntypedServiceImplementation {
  return grpcService(
    pb.CapitationBillingService,
    {
      publishRateSchedule: async (req, ctx) => toRateScheduleMessage(await billing.publishRateSchedule(rateScheduleOf(req.schedule), ctx.actor)),
      getRateSchedule: async (req) =>
        toRateScheduleMessage(
          await billing.getRateSchedule({
            ...(optional(req.version) !== undefined && { version: req.version }),
            ...(optional(req.on) !== undefined && { on: req.on }),
          }),
        ),
      declareMissionActivity: async (req, ctx) =>
        toStatementMessage(
          // The domain refuses a line code it does not know, naming the field.
          await billing.declareMissionActivity({
            finess: req.centreFiness,
            period: req.period,
            line: req.line as MissionLine,
            units: req.units,
            declaredBy: ctx.actor,
          }),
        ),
      runPeriod: async (req, ctx, send) => {
        const finess = optional(req.centreFiness);
        const result = await billing.runPeriod({ period: req.period, runBy: ctx.actor, signal: ctx.signal, ...(finess !== undefined && { finess }) }, (p) =>
          send(toProgressMessage(p)),
        );
        await send(toSummaryMessage(result));
      },
      issueStatement: async (req, ctx) =>
        toStatementMessage(await billing.issueStatement({ finess: req.centreFiness, period: req.period, issuedOn: req.issuedOn, issuedBy: ctx.actor })),
      getStatement: async (req) => toStatementMessage(await billing.getStatement(req.centreFiness, req.period)),
      listStatements: async (req) => {
        const finess = optional(req.centreFiness);
        const period = optional(req.period);
        const statements = await billing.listStatements({ ...(finess !== undefined && { finess }), ...(period !== undefined && { period }) });
        return { statements: statements.map(toStatementMessage) };
      },
      exportStatementCsv: async (req, _ctx, send) =>
        sendFile(statementCsv(await billing.computedStatement(req.centreFiness, req.period)), STATEMENT_CSV_TYPE, send),
      exportStatementFhir: async (req, _ctx, send) =>
        sendFile(JSON.stringify(statementFhirBundle(await billing.computedStatement(req.centreFiness, req.period))), STATEMENT_FHIR_TYPE, send),
      importRemittance: async (requests) => {
        const { remittanceId, lines } = await remittanceOf(requests);
        const { counts, errors } = await billing.importRemittance(remittanceId, lines);
        return {
          reconciled: counts.reconciled,
          discrepancy: counts.discrepancy,
          exception: counts.exception,
          alreadyImported: counts.already_imported,
          rejected: counts.rejected,
          errors,
        };
      },
      listDiscrepancies: async (req) => {
        const finess = optional(req.centreFiness);
        const period = optional(req.period);
        const status = discrepancyStatusOf(req.status);
        const found = await billing.listDiscrepancies({
          ...(finess !== undefined && { finess }),
          ...(period !== undefined && { period }),
          ...(status !== undefined && { status }),
        });
        return { discrepancies: found.map((d) => toDiscrepancyMessage(d, d.finess, d.period)) };
      },
      resolveDiscrepancy: async (req, ctx) =>
        toStatementMessage(
          await billing.resolveDiscrepancy({
            finess: req.centreFiness,
            period: req.period,
            discrepancyId: req.discrepancyId,
            resolution: req.resolution,
            reason: req.reason,
            resolvedBy: ctx.actor,
          }),
        ),
      getReconciliationReport: async (req) => {
        const finess = optional(req.centreFiness);
        return toReportMessage(await billing.reconciliationReport({ period: req.period, ...(finess !== undefined && { finess }) }));
      },
    },
    options,
  );
}
