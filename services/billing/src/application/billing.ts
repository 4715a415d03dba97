import { hostname } from 'node:os';
import {
  CommandHandler,
  isDomainError,
  NotFoundError,
  observeCommands,
  PreconditionFailedError,
  ValidationError,
  type CommandContext,
  type CommandObserver,
  type EventStore,
} from '@pcn/eventsourcing';
import {
  adjustmentLines,
  centreCapitation,
  centreRecordDecider,
  centreRecordStreamId,
  isPeriodId,
  membershipRanges,
  patientFactsFor,
  patientRecordDecider,
  patientRecordStreamId,
  PeriodRates,
  RATE_SCHEDULES_STREAM,
  reconciliationOf,
  scheduleDecider,
  scheduleInForce,
  statedFor,
  statementDecider,
  statementStreamId,
  unmatchedPaymentDecider,
  unmatchedPaymentStreamId,
  type AdjustmentLine,
  type CapitationLine,
  type CentreRecord,
  type CentreRunRequest,
  type CentreRecordCommand,
  type CommuneProfiles,
  type Discrepancy,
  type MissionLine,
  type PatientFacts,
  type PatientRecordCommand,
  type PeriodId,
  type RateSchedule,
  type ReconciliationSummary,
  type Statement,
  type StatementLine,
  type UnmatchedPayment,
} from '../domain';
import type { BillingReadModel, RunProgress } from './ports';
import { SharedPeriodRuns } from './shared-period-runs';
import { FACT_STREAM_PREFIXES } from './stream-prefixes';

export interface BillingDeps {
  readonly store: EventStore;
  readonly readModel: BillingReadModel;
  readonly communes: CommuneProfiles;
  /** Hears each command's outcome (the command metric). */
  readonly onCommand?: CommandObserver;
  /** `shared`: a run of every centre is shared by the billing instances through work items (docs/adr/0028); `local` by default. */
  readonly runs?: 'local' | 'shared';
  /** Names this instance in the results of shared runs. */
  readonly instance?: string;
  /** Destroys a patient's key in the sealing store (docs/adr/0025): their sealed facts read redacted from then on. */
  readonly shredPatient?: (patientId: string) => Promise<void>;
}

export interface CentreRun {
  readonly finess: string;
  readonly period: PeriodId;
  /** `computed`: recorded (or unchanged); `issued`: already issued, left as it is. */
  readonly outcome: 'computed' | 'unchanged' | 'issued';
  readonly lines: number;
  readonly totalCents: number;
}

/** What every centre of one run shares. */
interface PeriodRunContext {
  readonly period: PeriodId;
  readonly versions: readonly RateSchedule[];
  readonly schedule: RateSchedule;
  readonly logPosition: string;
  readonly runBy: string;
  /** Rates by schedule version and period, built once per run. */
  ratesFor(schedule: RateSchedule, period: PeriodId): PeriodRates;
}

export interface RunResult {
  readonly period: PeriodId;
  readonly scheduleVersion: string;
  readonly logPosition: string;
  readonly centres: readonly CentreRun[];
}

export interface RemittanceLine {
  readonly payerReference: string;
  readonly finess: string;
  readonly period: string;
  readonly amountCents: number;
  readonly paidOn: string;
}

export type PaymentOutcome = 'reconciled' | 'discrepancy' | 'exception' | 'already_imported';

export interface LineExplanation {
  readonly statedCents: number | undefined;
  readonly line: CapitationLine | undefined;
  readonly denominator: number;
  readonly scheduleVersion: string;
}

function periodField(period: string, field = 'period'): PeriodId {
  if (!isPeriodId(period)) throw ValidationError.field(field, `must be a month written YYYY-MM, got ${JSON.stringify(period)}`);
  return period;
}

/**
 * Billing's use cases: each one fetches facts, lets the domain decide, and writes. The capitation
 * of a period is computed from billing's own copy of the facts, at a log position it records.
 */
export class Billing {
  private readonly schedules;
  private readonly statements;
  private readonly patients;
  private readonly centres;
  private readonly unmatched;
  /** Present with shared runs: what the work consumer hands each centre's item to. */
  readonly sharedRuns: SharedPeriodRuns | undefined;

  constructor(private readonly deps: BillingDeps) {
    const options = { ...(deps.onCommand && { middleware: [observeCommands(deps.onCommand)] }) };
    this.schedules = new CommandHandler(deps.store, scheduleDecider, options);
    this.statements = new CommandHandler(deps.store, statementDecider, options);
    this.patients = new CommandHandler(deps.store, patientRecordDecider, options);
    this.centres = new CommandHandler(deps.store, centreRecordDecider, options);
    this.unmatched = new CommandHandler(deps.store, unmatchedPaymentDecider, options);
    this.sharedRuns =
      deps.runs === 'shared'
        ? new SharedPeriodRuns({ store: deps.store, billing: this, instance: deps.instance ?? `${hostname()}:${process.pid}`, options })
        : undefined;
  }

  /* ---------- facts ---------- */

  async learnPatient(command: PatientRecordCommand, context?: CommandContext): Promise<void> {
    await this.patients.handle(patientRecordStreamId(command.patientId), command, { ...(context && { context }) });
  }

  /**
   * The patient exercised the right to erasure: billing records it on their record (from then on
   * nothing is learned about them again), then destroys their key, so the facts it sealed read
   * redacted and the read model keeps only their id and attributions. Again, it records nothing
   * and destroys the key again: a redelivery, or one that stopped between the two, completes it.
   */
  async forgetPatient(command: { patientId: string; erasedOn: string }, context?: CommandContext): Promise<void> {
    await this.patients.handle(patientRecordStreamId(command.patientId), { type: 'ForgetPatient', ...command }, { ...(context && { context }) });
    await this.deps.shredPatient?.(command.patientId);
  }

  async learnCentre(command: CentreRecordCommand, context?: CommandContext): Promise<void> {
    await this.centres.handle(centreRecordStreamId(command.finess), command, { ...(context && { context }) });
  }

  async recordPreventionIndicator(input: {
    patientId: string;
    centreFiness: string;
    indicator: string;
    validatedOn: string;
    recordedBy: string;
  }): Promise<void> {
    const schedule = scheduleInForce(await this.scheduleVersions(), input.validatedOn);
    if (schedule !== undefined && schedule.supplements.prevention[input.indicator] === undefined)
      throw ValidationError.field(
        'indicator',
        `is not an indicator of schedule ${schedule.version}: expected one of ${Object.keys(schedule.supplements.prevention).join(', ')}`,
      );
    await this.patients.handle(patientRecordStreamId(input.patientId), { type: 'RecordPreventionIndicator', ...input });
  }

  /* ---------- schedules ---------- */

  async publishRateSchedule(schedule: RateSchedule, publishedBy: string): Promise<RateSchedule> {
    await this.schedules.handle(RATE_SCHEDULES_STREAM, { type: 'PublishRateSchedule', schedule, publishedBy });
    return schedule;
  }

  async scheduleVersions(): Promise<readonly RateSchedule[]> {
    return (await this.schedules.load(RATE_SCHEDULES_STREAM)).state.versions;
  }

  /** One version by label, or the version in force on a date. */
  async getRateSchedule(query: { version?: string; on?: string }): Promise<RateSchedule> {
    const versions = await this.scheduleVersions();
    const found = query.version !== undefined ? versions.find((v) => v.version === query.version) : scheduleInForce(versions, query.on ?? '9999-12-31');
    if (found === undefined) throw new NotFoundError('rate schedule', query.version ?? `in force on ${query.on ?? 'today'}`);
    return found;
  }

  /* ---------- statements ---------- */

  async declareMissionActivity(input: { finess: string; period: string; line: MissionLine; units: number; declaredBy: string }): Promise<Statement> {
    const period = periodField(input.period);
    const stream = statementStreamId(input.finess, period);
    await this.statements.handle(stream, { type: 'OpenStatement', finess: input.finess, period, openedBy: input.declaredBy });
    const result = await this.statements.handle(stream, { type: 'DeclareMissionActivity', line: input.line, units: input.units, declaredBy: input.declaredBy });
    return result.state as Statement;
  }

  /**
   * Computes the period for one centre or all: every centre's lines at the head of the facts,
   * priced with the schedule in force on the period's first day, plus adjustment lines for its
   * issued past periods. Centres whose statement for the period is issued are left as they are.
   * With shared runs (docs/adr/0028), a run of every centre is handed to the billing instances
   * as one work item per centre, and this call follows their results.
   */
  async runPeriod(
    input: { period: string; finess?: string; runBy: string; signal?: AbortSignal },
    onProgress?: (p: RunProgress) => unknown,
  ): Promise<RunResult> {
    const period = periodField(input.period);
    const versions = await this.scheduleVersions();
    const schedule = scheduleInForce(versions, `${period}-01`);
    if (schedule === undefined)
      throw new PreconditionFailedError(`no rate schedule is in force on ${period}-01`, [
        { type: 'SCHEDULE', subject: 'effectiveFrom', description: `publish a schedule effective on or before ${period}-01` },
      ]);
    const head = await this.deps.store.headPosition({ streamPrefixes: [...FACT_STREAM_PREFIXES] });
    await this.deps.readModel.waitFor(head);
    const centres = await this.deps.readModel.centres(input.finess);
    if (input.finess !== undefined && centres.length === 0) throw new NotFoundError('centre', input.finess);
    const logPosition = String(head);
    if (this.sharedRuns !== undefined && input.finess === undefined) {
      const results = await this.sharedRuns.run(
        { period, scheduleVersion: schedule.version, logPosition, runBy: input.runBy, centres: centres.map((c) => c.finess) },
        onProgress,
        input.signal,
      );
      return { period, scheduleVersion: schedule.version, logPosition, centres: results };
    }
    const run = this.runOf(period, versions, schedule, logPosition, input.runBy);
    const results: CentreRun[] = [];
    for (const [index, centre] of centres.entries()) {
      const { result, lines } = await this.computeCentre(run, centre);
      if (result !== undefined) results.push(result);
      await onProgress?.({ done: index + 1, total: centres.length, finess: centre.finess, lines });
    }
    return { period, scheduleVersion: schedule.version, logPosition, centres: results };
  }

  /**
   * One centre's share of a shared run, on the instance its work item reached: computed as a
   * run of that centre alone would, once this instance's read model has the facts the run read.
   */
  async runCentre(request: CentreRunRequest): Promise<{ result: CentreRun | undefined; lines: number }> {
    const period = periodField(request.period);
    const versions = await this.scheduleVersions();
    const schedule = versions.find((v) => v.version === request.scheduleVersion);
    if (schedule === undefined) throw new NotFoundError('rate schedule', request.scheduleVersion);
    await this.deps.readModel.waitFor(Number(request.logPosition));
    const [centre] = await this.deps.readModel.centres(request.finess);
    if (centre === undefined) throw new NotFoundError('centre', request.finess);
    return this.computeCentre(this.runOf(period, versions, schedule, request.logPosition, request.runBy), centre);
  }

  private runOf(period: PeriodId, versions: readonly RateSchedule[], schedule: RateSchedule, logPosition: string, runBy: string): PeriodRunContext {
    const rates = new Map<string, PeriodRates>();
    const ratesFor = (s: RateSchedule, p: PeriodId): PeriodRates => {
      const key = `${s.version}/${p}`;
      let r = rates.get(key);
      if (r === undefined) rates.set(key, (r = new PeriodRates(s, p, this.deps.communes)));
      return r;
    };
    return { period, versions, schedule, logPosition, runBy, ratesFor };
  }

  /** A centre's statement for the run's period; no result when there is nothing to state. */
  private async computeCentre(
    run: PeriodRunContext,
    { finess, record }: { finess: string; record: CentreRecord },
  ): Promise<{ result: CentreRun | undefined; lines: number }> {
    const { period, versions, schedule, ratesFor } = run;
    const membership = membershipRanges(record);
    const records = await this.deps.readModel.patientsOf(finess);
    const facts = records.map((r) => patientFactsFor(r, finess)).filter((f): f is PatientFacts => f !== undefined);
    const erased = new Set(records.flatMap((r) => (r.erasedOn !== undefined && r.patientId !== undefined ? [r.patientId] : [])));
    const roster = { finess, membership, patients: facts };
    const capitation = centreCapitation(ratesFor(schedule, period), roster);
    const past = (await this.deps.readModel.statements({ finess })).filter((s) => s.status === 'issued' && s.period < period);
    const adjustments: AdjustmentLine[] = [];
    for (const issued of past) {
      const computed = issued.computation!;
      const original = versions.find((v) => v.version === computed.scheduleVersion)!;
      const now = centreCapitation(ratesFor(original, issued.period), roster).lines.map((l) => ({ patientId: l.patientId, cents: l.cents }));
      const later = past.filter((s) => s.period > issued.period).flatMap((s) => s.computation!.adjustmentLines);
      adjustments.push(...adjustmentLines(issued.period, statedFor(issued.period, computed.lines, later), now, erased));
    }
    const lines = capitation.lines.length;
    const stream = statementStreamId(finess, period);
    const current = (await this.statements.load(stream)).state;
    if (current.exists && current.status === 'issued')
      return {
        result: { finess, period, outcome: 'issued', lines: current.computation?.lines.length ?? 0, totalCents: current.computation?.totalCents ?? 0 },
        lines,
      };
    // Nothing to state: no patient earned in the period, no mission declared, nothing to adjust.
    if (capitation.lines.length === 0 && adjustments.length === 0 && !current.exists) return { result: undefined, lines };
    await this.statements.handle(stream, { type: 'OpenStatement', finess, period, openedBy: run.runBy });
    const statementLines: StatementLine[] = capitation.lines
      .map((l) => ({ patientId: l.patientId, cents: l.cents }))
      .sort((a, b) => (a.patientId < b.patientId ? -1 : 1));
    const result = await this.statements.handle(stream, {
      type: 'RecordComputation',
      scheduleVersion: schedule.version,
      logPosition: run.logPosition,
      missionRates: schedule.missionRates,
      lines: statementLines,
      adjustmentLines: adjustments,
    });
    const state = result.state as Statement;
    return {
      result: {
        finess,
        period,
        outcome: result.events.length > 0 ? 'computed' : 'unchanged',
        lines: statementLines.length,
        totalCents: state.computation!.totalCents,
      },
      lines,
    };
  }

  async issueStatement(input: { finess: string; period: string; issuedOn: string; issuedBy: string }): Promise<Statement> {
    const period = periodField(input.period);
    const result = await this.statements.handle(statementStreamId(input.finess, period), {
      type: 'IssueStatement',
      issuedOn: input.issuedOn,
      issuedBy: input.issuedBy,
    });
    return result.state as Statement;
  }

  async getStatement(finess: string, period: string): Promise<Statement> {
    const { state } = await this.statements.load(statementStreamId(finess, periodField(period)));
    if (!state.exists) throw new NotFoundError('statement', `${finess} ${period}`);
    return state;
  }

  /** A statement with its computation, for the exports: one not computed yet has nothing to export. */
  async computedStatement(finess: string, period: string): Promise<Statement> {
    const statement = await this.getStatement(finess, period);
    if (statement.computation === undefined)
      throw new PreconditionFailedError(`the statement of ${finess} for ${period} has not been computed`, [
        { type: 'STATEMENT', subject: `${finess} ${period}`, description: 'run the period first' },
      ]);
    return statement;
  }

  async listStatements(filter: { finess?: string; period?: string }): Promise<Statement[]> {
    return this.deps.readModel.statements({
      ...(filter.finess !== undefined && { finess: filter.finess }),
      ...(filter.period !== undefined && { period: periodField(filter.period) }),
    });
  }

  /**
   * Why a patient's line is what it is: the day segments recomputed from the facts at hand with
   * the schedule version the statement used, beside the amount the statement states.
   */
  async explainLine(finess: string, period: string, patientId: string): Promise<LineExplanation> {
    const statement = await this.getStatement(finess, period);
    if (statement.computation === undefined) throw new NotFoundError('computation of statement', `${finess} ${period}`);
    const schedule = await this.getRateSchedule({ version: statement.computation.scheduleVersion });
    const [centre] = await this.deps.readModel.centres(finess);
    const record = (await this.deps.readModel.patientsOf(finess)).find((p) => p.patientId === patientId);
    const facts = record && patientFactsFor(record, finess);
    const rates = new PeriodRates(schedule, statement.period, this.deps.communes);
    const line = facts && centre ? centreCapitation(rates, { finess, membership: membershipRanges(centre.record), patients: [facts] }).lines[0] : undefined;
    const statedCents = statement.computation.lines.find((l) => l.patientId === patientId)?.cents;
    if (line === undefined && statedCents === undefined) throw new NotFoundError('statement line', `${finess} ${period} ${patientId}`);
    return { statedCents, line, denominator: rates.denominator, scheduleVersion: schedule.version };
  }

  /* ---------- payments ---------- */

  /** Matches one remittance line; a line already imported is recognised and changes nothing. */
  async recordPayment(remittanceId: string, line: RemittanceLine): Promise<PaymentOutcome> {
    const period = periodField(line.period);
    const stream = statementStreamId(line.finess, period);
    const { state } = await this.statements.load(stream);
    if (!state.exists || state.status !== 'issued') {
      const reason = state.exists
        ? `the statement of ${line.finess} for ${period} is ${state.status}, not issued`
        : `no statement for ${line.finess} in ${period}`;
      const payment: UnmatchedPayment = { remittanceId, ...line, period, reason };
      const result = await this.unmatched.handle(unmatchedPaymentStreamId(line.payerReference), { type: 'RecordUnmatchedPayment', ...payment });
      return result.events.length === 0 ? 'already_imported' : 'exception';
    }
    const result = await this.statements.handle(stream, {
      type: 'RecordPayment',
      remittanceId,
      payerReference: line.payerReference,
      amountCents: line.amountCents,
      paidOn: line.paidOn,
    });
    if (result.events.length === 0) return 'already_imported';
    return result.events.some((e) => e.type === 'StatementReconciled') ? 'reconciled' : 'discrepancy';
  }

  /**
   * Imports a remittance line by line: good lines are recorded, each refused line is reported with
   * its number and reason, and the import goes on.
   */
  async importRemittance(
    remittanceId: string,
    lines: AsyncIterable<{ lineNumber: number; line?: RemittanceLine; error?: string }>,
    onProgress?: (count: number) => void,
  ): Promise<{ counts: Record<PaymentOutcome | 'rejected', number>; errors: { lineNumber: number; reason: string }[] }> {
    const counts: Record<PaymentOutcome | 'rejected', number> = { reconciled: 0, discrepancy: 0, exception: 0, already_imported: 0, rejected: 0 };
    const errors: { lineNumber: number; reason: string }[] = [];
    let seen = 0;
    for await (const { lineNumber, line, error } of lines) {
      seen++;
      if (line === undefined) {
        counts.rejected++;
        errors.push({ lineNumber, reason: error ?? 'unreadable line' });
      } else {
        try {
          counts[await this.recordPayment(remittanceId, line)]++;
        } catch (e) {
          if (!isDomainError(e)) throw e;
          counts.rejected++;
          errors.push({ lineNumber, reason: e.message });
        }
      }
      onProgress?.(seen);
    }
    return { counts, errors };
  }

  async listDiscrepancies(filter: {
    finess?: string;
    period?: string;
    status?: 'open' | 'resolved';
  }): Promise<(Discrepancy & { finess: string; period: string })[]> {
    const statements = await this.listStatements(filter);
    return statements.flatMap((s) =>
      s.discrepancies.filter((d) => filter.status === undefined || d.status === filter.status).map((d) => ({ ...d, finess: s.finess, period: s.period })),
    );
  }

  async resolveDiscrepancy(input: {
    finess: string;
    period: string;
    discrepancyId: string;
    resolution: string;
    reason: string;
    resolvedBy: string;
  }): Promise<Statement> {
    const { finess, period, ...command } = input;
    const result = await this.statements.handle(statementStreamId(finess, periodField(period)), { type: 'ResolveDiscrepancy', ...command });
    return result.state as Statement;
  }

  /** Per centre for a period (or one centre): expected, paid, outstanding, discrepancies; and payments matching nothing. */
  async reconciliationReport(filter: { period: string; finess?: string }): Promise<{ statements: ReconciliationSummary[]; exceptions: UnmatchedPayment[] }> {
    const period = periodField(filter.period);
    const statements = (await this.listStatements({ period, ...(filter.finess !== undefined && { finess: filter.finess }) })).map(reconciliationOf);
    const exceptions = (await this.deps.readModel.unmatchedPayments()).filter(
      (p) => p.period === period && (filter.finess === undefined || p.finess === filter.finess),
    );
    return { statements, exceptions };
  }
}
