import { ok, problemDoc, read, RouteTable, write, type RequestFile, type ResponseDoc } from '@pcn/http';
import { ValidationError } from '@pcn/eventsourcing';
import { parseInput } from '@pcn/validation';
import type { Billing } from '../../application/billing';
import type { RateSchedule } from '../../domain';
import { REMITTANCE_COLUMNS, REMITTANCE_READERS } from '../files/remittance-files';
import { statementCsv, STATEMENT_CSV_TYPE } from '../files/statement-csv';
import { statementFhirBundle, STATEMENT_FHIR_TYPE } from '../files/statement-fhir';
import { issueStatementInput, missionActivityInput, rateScheduleInput, remittanceInput, resolveDiscrepancyInput, runPeriodInput } from './billing-inputs';

const statementParams = {
  finess: { description: 'FINESS géographique of the centre' },
  period: { description: 'Month written YYYY-MM' },
};
const any = (description: string): ResponseDoc => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const invalid = problemDoc('Invalid input: `errors` lists each field and why');
const notFound = problemDoc('No such statement, schedule or centre');
const conflict = problemDoc('Not allowed in the statement’s state: `violations` says why');

// A remittance line as JSON: the CSV's column names as keys; `amount` in euros, a string or a number.
const remittanceFields = Object.fromEntries(
  REMITTANCE_COLUMNS.map((c) => [c, c === 'amount' ? { type: ['string' as const, 'number' as const] } : { type: 'string' as const }]),
);
const remittanceObject = { type: 'object' as const, properties: remittanceFields, required: [...REMITTANCE_COLUMNS] };

/** A remittance id as the path gives it: what the payer names the file (`PAY-2026-04`). */
function remittanceIdOf(value: string): string {
  if (value.trim() === '' || value.length > 128 || /\p{Cc}/u.test(value))
    throw ValidationError.field('remittanceId', 'must be 1 to 128 characters without control characters (the payer’s name of the file)');
  return value;
}

/**
 * Imports a remittance file read as it arrives. A file of which no line could be recorded (all
 * refused, or none) is bad input: 400 naming each refused line, nothing written.
 */
async function importRemittanceFile(billing: Billing, remittanceId: string, file: RequestFile) {
  const summary = await billing.importRemittance(remittanceId, REMITTANCE_READERS[file.mediaType]!(file.stream));
  const recorded = Object.values(summary.counts).reduce((a, b) => a + b, 0) - summary.counts.rejected;
  file.ensureWhole(`the ${recorded} line(s) before were recorded (a re-run recognises them); send the rest as another file of the same remittance`);
  if (recorded === 0)
    throw new ValidationError(
      summary.errors.length === 0
        ? [{ field: '(body)', description: `has no remittance line (${file.mediaType})` }]
        : summary.errors.map((e) => ({ field: `line ${e.lineNumber}`, description: e.reason })),
    );
  return summary;
}

/** The actor of a write, as the route table read it (X-PCN-Actor). */
const actorOf = (context: { actor?: string }): string => context.actor ?? 'anonymous';

/** REST for billing staff, at `/v1/billing`: the operations of pcn.billing.v1.CapitationBilling, and statement exports. */
export const billingRoutes = new RouteTable<Billing>({
  service: 'billing',
  prefix: '/v1/billing',
  info: {
    title: 'PCN capitation billing',
    description:
      'Billing staff publish rate schedules, run periods, issue statements, import remittances and resolve discrepancies. Money is integer cents. Errors are RFC 9457 problem+json.',
  },
  schemas: {},
  routes: [
    write<Billing>({
      operationId: 'PublishRateSchedule',
      method: 'post',
      path: '/rate-schedules',
      summary: 'Publish a rate schedule version',
      ifMatch: 'refused',
      body: { name: 'RateSchedule', schema: rateScheduleInput },
      responses: { 200: any('The published schedule'), 400: invalid, 409: problemDoc('The version is published with other content') },
      handle: async (billing, req) => ok(await billing.publishRateSchedule(parseInput(rateScheduleInput, req.body) as RateSchedule, actorOf(req.context))),
    }),
    read<Billing, 'version' | 'on'>({
      operationId: 'GetRateSchedule',
      method: 'get',
      path: '/rate-schedules/current',
      summary: 'A schedule version by label, or the one in force on a day',
      query: { version: { schema: { type: 'string' } }, on: { schema: { type: 'string', format: 'date' } } },
      responses: { 200: any('The schedule'), 404: notFound },
      handle: async (billing, req) => ok(await billing.getRateSchedule(req.query)),
    }),
    write<Billing>({
      operationId: 'DeclareMissionActivity',
      method: 'post',
      path: '/statements/{finess}/{period}/mission-activity',
      summary: 'Declare units of a mission line',
      params: statementParams,
      ifMatch: 'refused',
      body: { name: 'MissionActivity', schema: missionActivityInput },
      responses: { 200: any('The statement'), 400: invalid, 409: conflict },
      handle: async (billing, req) => {
        const body = parseInput(missionActivityInput, req.body);
        return ok(await billing.declareMissionActivity({ finess: req.params.finess!, period: req.params.period!, ...body, declaredBy: actorOf(req.context) }));
      },
    }),
    write<Billing>({
      operationId: 'RunPeriod',
      method: 'post',
      path: '/periods/{period}/run',
      summary: 'Compute a period for every centre (or one); issued statements are left as they are',
      params: { period: statementParams.period },
      ifMatch: 'refused',
      body: { name: 'RunPeriod', schema: runPeriodInput, required: false },
      responses: { 200: any('Schedule version, log position and the outcome per centre'), 400: invalid, 404: notFound, 409: conflict },
      handle: async (billing, req) => {
        const { finess } = parseInput(runPeriodInput, req.body ?? {});
        return ok(await billing.runPeriod({ period: req.params.period!, runBy: actorOf(req.context), ...(finess !== undefined && { finess }) }));
      },
    }),
    write<Billing>({
      operationId: 'IssueStatement',
      method: 'post',
      path: '/statements/{finess}/{period}/issue',
      summary: 'Issue a computed statement',
      params: statementParams,
      ifMatch: 'refused',
      body: { name: 'IssueStatement', schema: issueStatementInput },
      responses: { 200: any('The issued statement'), 400: invalid, 404: notFound, 409: conflict },
      handle: async (billing, req) => {
        const { issuedOn } = parseInput(issueStatementInput, req.body);
        return ok(await billing.issueStatement({ finess: req.params.finess!, period: req.params.period!, issuedOn, issuedBy: actorOf(req.context) }));
      },
    }),
    read<Billing>({
      operationId: 'GetStatement',
      method: 'get',
      path: '/statements/{finess}/{period}',
      summary: 'A statement, with every line',
      params: statementParams,
      responses: { 200: any('The statement'), 404: notFound },
      handle: async (billing, req) => ok(await billing.getStatement(req.params.finess!, req.params.period!)),
    }),
    read<Billing>({
      operationId: 'ExportStatementCsv',
      method: 'get',
      path: '/statements/{finess}/{period}/csv',
      summary: 'A computed statement as CSV: one row per capitation, mission and adjustment line, then the totals',
      params: statementParams,
      responses: { 200: { description: 'CSV (docs/billing.md)', content: { 'text/csv': { schema: { type: 'string' } } } }, 404: notFound },
      handle: async (billing, req) => {
        const statement = await billing.computedStatement(req.params.finess!, req.params.period!);
        return { body: statementCsv(statement), contentType: STATEMENT_CSV_TYPE };
      },
    }),
    read<Billing>({
      operationId: 'ExportStatementFhir',
      method: 'get',
      path: '/statements/{finess}/{period}/fhir',
      summary: 'A computed statement as a FHIR R4 Bundle: the centre (Organization) and its Invoice',
      params: statementParams,
      responses: {
        200: { description: 'FHIR R4 Bundle of type collection', content: { 'application/fhir+json': { schema: { type: 'object' } } } },
        404: notFound,
      },
      handle: async (billing, req) => {
        const statement = await billing.computedStatement(req.params.finess!, req.params.period!);
        return { body: JSON.stringify(statementFhirBundle(statement)), contentType: STATEMENT_FHIR_TYPE };
      },
    }),
    read<Billing, 'finess' | 'period'>({
      operationId: 'ListStatements',
      method: 'get',
      path: '/statements',
      summary: 'Statements, by centre and/or period',
      query: { finess: { schema: { type: 'string' } }, period: { schema: { type: 'string' } } },
      responses: { 200: any('The statements'), 400: invalid },
      handle: async (billing, req) => ok({ statements: await billing.listStatements(req.query) }),
    }),
    write<Billing>({
      operationId: 'ImportRemittance',
      method: 'post',
      path: '/remittances',
      summary: 'Import a remittance: each line is matched; refused lines are reported by number (1 = first line)',
      ifMatch: 'refused',
      body: { name: 'Remittance', schema: remittanceInput },
      responses: { 200: any('Counts per outcome and the refused lines'), 400: invalid },
      handle: async (billing, req) => {
        const { remittanceId, lines } = parseInput(remittanceInput, req.body);
        async function* numbered() {
          for (const [i, line] of lines.entries()) yield { lineNumber: i + 1, line };
        }
        return ok(await billing.importRemittance(remittanceId, numbered()));
      },
    }),
    write<Billing>({
      operationId: 'ImportRemittanceFile',
      method: 'post',
      path: '/remittances/{remittanceId}/file',
      summary: 'Import the payer’s remittance file itself, streamed: as ImportRemittance, each refused line reported by number',
      params: { remittanceId: { description: 'The payer’s name of the file; the same id again recognises the lines already imported' } },
      ifMatch: 'refused',
      file: {
        description: `The payer’s file, columns ${REMITTANCE_COLUMNS.join(', ')} (docs/billing.md); at most PCN_HTTP_FILE_LIMIT bytes`,
        mediaTypes: {
          'text/csv': { type: 'string', description: 'A header row naming the columns, then one payment a row (UTF-8, BOM allowed)' },
          'application/x-ndjson': { ...remittanceObject, description: 'JSON Lines: one such object a line' },
          'application/json': { type: 'array', items: remittanceObject, description: 'One JSON array of such objects' },
        },
      },
      responses: {
        200: any('Counts per outcome and the refused lines (numbered from 1: a CSV’s header is line 1, a JSON array’s first element is 1)'),
        400: problemDoc('No line could be recorded: `errors` names each refused line (`line 3`) and why; or a bad remittanceId'),
        413: problemDoc('Over PCN_HTTP_FILE_LIMIT: refused unread when Content-Length says so, else the whole lines before the limit were recorded'),
        415: problemDoc('Not text/csv, application/x-ndjson or application/json'),
      },
      handle: async (billing, req) => ok(await importRemittanceFile(billing, remittanceIdOf(req.params.remittanceId!), req.file!)),
    }),
    read<Billing, 'finess' | 'period' | 'status'>({
      operationId: 'ListDiscrepancies',
      method: 'get',
      path: '/discrepancies',
      summary: 'Discrepancies between what was paid and what was expected',
      query: {
        finess: { schema: { type: 'string' } },
        period: { schema: { type: 'string' } },
        status: { schema: { enum: ['open', 'resolved'] } },
      },
      responses: { 200: any('The discrepancies'), 400: invalid },
      handle: async (billing, req) => {
        const { status, ...filter } = req.query;
        if (status !== undefined && status !== 'open' && status !== 'resolved')
          throw ValidationError.field('status', `must be open or resolved, got ${JSON.stringify(status)}`);
        return ok({ discrepancies: await billing.listDiscrepancies({ ...filter, ...(status !== undefined && { status }) }) });
      },
    }),
    write<Billing>({
      operationId: 'ResolveDiscrepancy',
      method: 'post',
      path: '/statements/{finess}/{period}/discrepancies/{discrepancyId}/resolve',
      summary: 'Resolve a discrepancy (write-off, expected follow-up, corrected statement)',
      params: { ...statementParams, discrepancyId: { description: 'As listed' } },
      ifMatch: 'refused',
      body: { name: 'ResolveDiscrepancy', schema: resolveDiscrepancyInput },
      responses: { 200: any('The statement'), 400: invalid, 404: notFound, 409: conflict },
      handle: async (billing, req) => {
        const body = parseInput(resolveDiscrepancyInput, req.body);
        return ok(
          await billing.resolveDiscrepancy({
            finess: req.params.finess!,
            period: req.params.period!,
            discrepancyId: req.params.discrepancyId!,
            ...body,
            resolvedBy: actorOf(req.context),
          }),
        );
      },
    }),
    read<Billing, 'finess'>({
      operationId: 'GetReconciliationReport',
      method: 'get',
      path: '/periods/{period}/reconciliation',
      summary: 'Per centre: expected, paid, outstanding, discrepancies; and payments matching no issued statement',
      params: { period: statementParams.period },
      query: { finess: { schema: { type: 'string' } } },
      responses: { 200: any('The report'), 400: invalid },
      handle: async (billing, req) => ok(await billing.reconciliationReport({ period: req.params.period!, ...req.query })),
    }),
  ],
});
