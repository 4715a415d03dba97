import { randomUUID } from 'node:crypto';
import {
  CommandHandler,
  ConcurrencyError,
  NotFoundError,
  ValidationError,
  nameBasedUuid,
  type CommandContext,
  type CommandObserver,
  type EventStore,
  type RecordedEvent,
  observeCommands,
} from '@pcn/eventsourcing';
import { checkUuid, parseInput } from '@pcn/validation';
import { professionalDecider } from '../domain/professional/professional-decider';
import type { ProfessionalCommand } from '../domain/professional/professional-commands';
import type { ProfessionalEvent } from '../domain/professional/professional-events';
import { assignmentsOn, fteOn, type Professional, type ProfessionalState } from '../domain/professional/professional-state';
import { advancementsToRecord, positionOn } from '../domain/professional/career';
import { computePay } from '../domain/statute/compute-pay';
import { echelonOn } from '../domain/statute/echelon-progression';
import { addMonths, isIsoDate, wholeMonthsBetween, type IsoDate } from '@pcn/time';
import { reclassify } from '../domain/statute/reclassify';
import { kindOfGrade } from '../domain/statute/statute';
import { InvalidDateError, UnknownGradeError } from '../domain/statute/statute-errors';
import type { Statute } from '../domain/statute/statute';
import { staffEventSchemas } from './event-schemas';
import { requireOpenCentre } from './centre-membership';
import { today, type CentreDirectory, type Clock, type IdentifierCheck } from './ports';
import { everyProfessional, type StaffReadModel } from './read-model';
import { assignToCentreInput, endAssignmentInput, hireProfessionalInput, promoteInput, recordExitInput } from './schemas';
import type { StatuteBook } from './statute-book';
import { hireClaimingRpps } from './rpps-hiring';
import { professionalStreamId } from './stream-ids';
import { fteText, identityView, toAssignmentView, type AssignmentView, type PayView, type ProfessionalView } from './views';
import { writeOptions, type WriteOptions } from './write-options';

export interface CareersDeps {
  readonly store: EventStore;
  readonly statute: StatuteBook;
  readonly readModel: StaffReadModel;
  readonly centres: CentreDirectory;
  readonly checkRpps: IdentifierCheck;
  readonly checkFiness: IdentifierCheck;
  readonly clock: Clock;
  readonly readModelWaitMs?: number;
  readonly onCommand?: CommandObserver;
  /** Every run, scheduled or asked for (metrics). */
  readonly onAdvancementRun?: (run: AdvancementRun) => void;
}

export interface AdvancementRun {
  readonly on: IsoDate;
  readonly professionalsScanned: number;
  readonly advancementsRecorded: number;
  /** Professionals whose advancement could not be recorded, with why (the run goes on). */
  readonly failures: readonly { readonly professionalId: string; readonly error: string }[];
}

/**
 * Professionals and their careers: hiring, grid position and pay "as of" a day, assignments,
 * promotions, exits, and the scheduled échelon advancements. Inputs are `unknown` on purpose:
 * they are validated here, whatever the transport, and nothing is written unless all is valid.
 */
export class Careers {
  readonly handler: CommandHandler<ProfessionalCommand, ProfessionalState, ProfessionalEvent>;

  constructor(private readonly deps: CareersDeps) {
    this.handler = new CommandHandler(deps.store, professionalDecider, {
      schemas: staffEventSchemas,
      clock: deps.clock,
      readModel: deps.readModel,
      ...(deps.readModelWaitMs !== undefined && { readModelWaitMs: deps.readModelWaitMs }),
      ...(deps.onCommand && { middleware: [observeCommands(deps.onCommand)] }),
    });
  }

  async hire(input: unknown, context: CommandContext = {}): Promise<ProfessionalView> {
    const parsed = parseInput(hireProfessionalInput, input);
    const rpps = parsed.rpps === undefined || parsed.rpps === '' ? undefined : this.identifier(this.deps.checkRpps, parsed.rpps, 'rpps');
    const statute = await this.deps.statute.current();
    const gradeGrid = this.gradeKind(statute, parsed.grade, 'grade');
    // The position must exist in the grid in force on the hiring date, with less retained
    // seniority than the échelon lasts: checked before anything is written.
    echelonOn({
      statute,
      grade: parsed.grade,
      startEchelon: parsed.echelon,
      startDate: parsed.hiredOn,
      retainedSeniorityMonths: parsed.retainedSeniorityMonths,
      date: parsed.hiredOn,
    });
    // A retried hire with the same idempotency key finds the same professional; one with an RPPS
    // finds the professional holding that number.
    const professionalId = context.idempotencyKey ? nameBasedUuid(`professional:${context.idempotencyKey}`) : randomUUID();
    const command: ProfessionalCommand = {
      type: 'HireProfessional',
      professionalId,
      identity: { lastName: parsed.lastName, firstName: parsed.firstName, ...(rpps && { rpps }) },
      profession: parsed.profession,
      ...(parsed.specialty && { specialty: parsed.specialty }),
      grade: parsed.grade,
      gradeGrid,
      echelon: parsed.echelon,
      echelonSince: parsed.hiredOn,
      retainedSeniorityMonths: parsed.retainedSeniorityMonths,
      hiredOn: parsed.hiredOn,
    };
    if (!rpps) return this.execute(professionalId, command, { context });
    const hired = await hireClaimingRpps(this.deps.store, this.handler, command, rpps, context);
    if (!hired.state.exists) throw new NotFoundError('professional', professionalId);
    return this.answer(hired.state, hired.revision);
  }

  /** As of `asOf`; by default today, or the hiring date for someone hired later. */
  async get(professionalId: string, asOf?: string): Promise<ProfessionalView> {
    professionalId = checkUuid(professionalId, 'professionalId', 'a professional id');
    const { state, revision } = await this.load(professionalId);
    return this.view(state, revision, await this.deps.statute.current(), this.day(asOf, 'asOf', state));
  }

  async computePay(professionalId: string, on?: string): Promise<PayView> {
    professionalId = checkUuid(professionalId, 'professionalId', 'a professional id');
    const { state } = await this.load(professionalId);
    const day = this.day(on, 'on', state);
    const statute = await this.deps.statute.current();
    const position = positionOn(state, statute, day);
    if (!position) throw new NotFoundError('professional', `${professionalId} on ${day} (hired on ${state.hiredOn})`);
    const worked = state.exitOn !== undefined && state.exitOn <= day ? [] : assignmentsOn(state, day);
    const total = worked.reduce((sum, a) => sum + a.fte, 0);
    const base = { statute, grade: position.grade, echelon: position.echelon, date: day };
    const fullTime = computePay({ ...base, fte: 1 });
    const whole = total > 0 ? computePay({ ...base, fte: total / 10_000 }) : undefined;
    return {
      professionalId,
      on: day,
      grade: position.grade,
      echelon: position.echelon,
      fte: fteText(total),
      annualGrossCents: whole?.annualGrossCents ?? 0,
      monthlyGrossCents: whole?.monthlyGrossCents ?? 0,
      fullTimeAnnualGrossCents: fullTime.fullTimeAnnualGrossCents,
      fullTimeMonthlyGrossCents: fullTime.fullTimeMonthlyGrossCents,
      gridVersion: fullTime.gridVersion.id,
      ...(fullTime.indiceMajore !== undefined && { indiceMajore: fullTime.indiceMajore }),
      byAssignment: worked.map((a) => {
        const pay = computePay({ ...base, fte: a.fte / 10_000 });
        return {
          assignmentId: a.assignmentId,
          centreFiness: a.centreFiness,
          fte: fteText(a.fte),
          annualGrossCents: pay.annualGrossCents,
          monthlyGrossCents: pay.monthlyGrossCents,
        };
      }),
    };
  }

  /** The assignment made, and the professional after it (`assignmentId`: where to read it). */
  async assign(
    professionalId: string,
    input: unknown,
    options: WriteOptions = {},
  ): Promise<{ readonly assignmentId: string; readonly professional: ProfessionalView }> {
    professionalId = checkUuid(professionalId, 'professionalId', 'a professional id');
    const parsed = parseInput(assignToCentreInput, input);
    const centreFiness = this.identifier(this.deps.checkFiness, parsed.centreFiness, 'centreFiness');
    await requireOpenCentre(this.deps.centres, centreFiness, parsed.startOn, parsed.endOn);
    const key = options.context?.idempotencyKey;
    const assignmentId = key ? nameBasedUuid(`assignment:${professionalId}:${key}`) : randomUUID();
    const command: ProfessionalCommand = {
      type: 'AssignToCentre',
      assignmentId,
      centreFiness,
      fte: parsed.fte,
      startOn: parsed.startOn,
      ...(parsed.endOn && { endOn: parsed.endOn }),
      kind: 'regular',
    };
    return { assignmentId, professional: await this.execute(professionalId, command, options) };
  }

  /** One assignment of a professional, past, running or future, with the professional's version. */
  async assignment(professionalId: string, assignmentId: string): Promise<AssignmentView & { readonly professionalId: string; readonly version: number }> {
    const { state, revision } = await this.load(professionalId);
    const found = Object.prototype.hasOwnProperty.call(state.assignments, assignmentId) ? state.assignments[assignmentId] : undefined;
    if (!found) throw new NotFoundError('assignment', `${assignmentId} of professional ${professionalId}`);
    return { professionalId, ...toAssignmentView(found), version: revision };
  }

  async endAssignment(professionalId: string, input: unknown, options: WriteOptions = {}): Promise<ProfessionalView> {
    professionalId = checkUuid(professionalId, 'professionalId', 'a professional id');
    const parsed = parseInput(endAssignmentInput, input);
    return this.execute(professionalId, { type: 'EndAssignment', assignmentId: parsed.assignmentId, endOn: parsed.endOn, reason: 'request' }, options);
  }

  /** Promotion to another grade, classed at equal or immediately higher pay (docs/statute/career-rules.md). */
  async promote(professionalId: string, input: unknown, options: WriteOptions = {}): Promise<ProfessionalView> {
    professionalId = checkUuid(professionalId, 'professionalId', 'a professional id');
    const parsed = parseInput(promoteInput, input);
    const { state, revision } = await this.load(professionalId);
    if (options.expectedVersion !== undefined && options.expectedVersion !== revision) {
      throw new ConcurrencyError(professionalStreamId(professionalId), String(options.expectedVersion), String(revision));
    }
    const statute = await this.deps.statute.current();
    const toGradeGrid = this.gradeKind(statute, parsed.toGrade, 'toGrade');
    const position = positionOn(state, statute, parsed.effectiveOn);
    if (!position) throw ValidationError.field('effectiveOn', `must be on or after the hiring date ${state.hiredOn}`);
    const monthsInEchelon = wholeMonthsBetween(position.seniorityFrom, parsed.effectiveOn);
    const moved = reclassify({
      statute,
      fromGrade: position.grade,
      fromEchelon: position.echelon,
      toGrade: parsed.toGrade,
      date: parsed.effectiveOn,
      monthsInEchelon,
    });
    // Advancements served before the promotion are recorded first, so the career stays in order.
    let current = revision;
    for (const advance of advancementsToRecord(state, statute, parsed.effectiveOn)) {
      const advanced = await this.handler.handle(professionalStreamId(professionalId), advance, {
        ...(options.expectedVersion !== undefined && { expectedRevision: current }),
        context: { actor: 'statute' },
        awaitReadModel: false,
      });
      current = advanced.revision;
    }
    const command: ProfessionalCommand = {
      type: 'PromoteProfessional',
      toGrade: parsed.toGrade,
      toGradeGrid,
      toEchelon: moved.toEchelon,
      effectiveOn: parsed.effectiveOn,
      seniorityFrom: addMonths(parsed.effectiveOn, -moved.keptSeniorityMonths),
    };
    // A stated version was checked on load; the advancements above moved it on, and each append
    // since expected exactly the revision before it, so no other write slips in between.
    return this.execute(professionalId, command, {
      ...(options.expectedVersion !== undefined && { expectedVersion: current }),
      ...(options.context && { context: options.context }),
    });
  }

  async recordExit(professionalId: string, input: unknown, options: WriteOptions = {}): Promise<ProfessionalView> {
    professionalId = checkUuid(professionalId, 'professionalId', 'a professional id');
    const parsed = parseInput(recordExitInput, input);
    return this.execute(professionalId, { type: 'RecordExit', exitOn: parsed.exitOn, reason: parsed.reason }, options);
  }

  /**
   * The scheduled process: records every échelon advancement served by `on` (today by default).
   * Safe to run as often as wanted, from several instances: an advancement already recorded is
   * not recorded again. One professional's failure is reported and does not stop the others.
   */
  async recordAdvancementsDue(on?: string): Promise<AdvancementRun> {
    const day = this.day(on, 'on');
    // Recording is for what has happened: a future advancement may yet be overtaken by an exit
    // or a promotion ("as of" queries already answer for future days).
    if (day > today(this.deps.clock))
      throw ValidationError.field('on', `must be today (${today(this.deps.clock)}) or earlier: advancements are recorded once they happen`);
    const statute = await this.deps.statute.current();
    let scanned = 0;
    let recorded = 0;
    const failures: { professionalId: string; error: string }[] = [];
    for await (const professional of everyProfessional(this.deps.readModel)) {
      scanned++;
      try {
        for (const command of advancementsToRecord(professional, statute, day)) {
          const result = await this.handler.handle(professionalStreamId(professional.professionalId), command, {
            context: { actor: 'statute' },
            awaitReadModel: false,
          });
          recorded += result.events.length;
        }
      } catch (error) {
        failures.push({ professionalId: professional.professionalId, error: (error as Error).message });
      }
    }
    const run = { on: day, professionalsScanned: scanned, advancementsRecorded: recorded, failures };
    this.deps.onAdvancementRun?.(run);
    return run;
  }

  async history(professionalId: string): Promise<RecordedEvent[]> {
    professionalId = checkUuid(professionalId, 'professionalId', 'a professional id');
    const { events } = await this.handler.load(professionalStreamId(professionalId));
    if (events.length === 0) throw new NotFoundError('professional', professionalId);
    return events;
  }

  async load(professionalId: string): Promise<{ state: Professional; revision: number }> {
    professionalId = checkUuid(professionalId, 'professionalId', 'a professional id');
    const { state, revision } = await this.handler.load(professionalStreamId(professionalId));
    if (!state.exists) throw new NotFoundError('professional', professionalId);
    return { state, revision };
  }

  view(p: Professional, version: number, statute: Statute, day: IsoDate): ProfessionalView {
    const position = positionOn(p, statute, day);
    if (!position) throw new NotFoundError('professional', `${p.professionalId} on ${day} (hired on ${p.hiredOn})`);
    const left = p.exitOn !== undefined && p.exitOn <= day;
    const worked = left ? [] : assignmentsOn(p, day);
    return {
      ...identityView(p),
      grade: position.grade,
      echelon: position.echelon,
      echelonSince: position.reachedOn,
      ...(position.nextAdvancementOn && !left && { nextAdvancementOn: position.nextAdvancementOn }),
      hiredOn: p.hiredOn,
      ...(p.exitOn && { exitOn: p.exitOn }),
      ...(p.exitReason && { exitReason: p.exitReason }),
      assignments: worked.map(toAssignmentView),
      allAssignments: Object.values(p.assignments)
        .sort((a, b) => (a.startOn < b.startOn ? -1 : a.startOn > b.startOn ? 1 : a.assignmentId < b.assignmentId ? -1 : 1))
        .map(toAssignmentView),
      totalFte: fteText(left ? 0 : fteOn(p, day)),
      asOf: day,
      version,
    };
  }

  private async execute(professionalId: string, command: ProfessionalCommand, options: WriteOptions): Promise<ProfessionalView> {
    const result = await this.handler.handle(professionalStreamId(professionalId), command, writeOptions(options));
    if (!result.state.exists) throw new NotFoundError('professional', professionalId);
    return this.answer(result.state, result.revision);
  }

  /** Answers a write as of today (or the hiring date, for a hire yet to start); `allAssignments` shows what starts later. */
  private async answer(state: Professional, revision: number): Promise<ProfessionalView> {
    const now = today(this.deps.clock);
    return this.view(state, revision, await this.deps.statute.current(), state.hiredOn > now ? state.hiredOn : now);
  }

  private day(raw: string | undefined, field: 'asOf' | 'on', professional?: Professional): IsoDate {
    if (raw === undefined || raw === '') {
      const now = today(this.deps.clock);
      return professional && professional.hiredOn > now ? professional.hiredOn : now;
    }
    if (!isIsoDate(raw)) throw new InvalidDateError(field, raw);
    return raw;
  }

  private identifier(check: IdentifierCheck, raw: string, field: string): string {
    const checked = check(raw);
    if (!checked.ok) throw ValidationError.field(field, checked.reason);
    return checked.value;
  }

  private gradeKind(statute: Statute, grade: string, field: string): 'ph' | 'fph' {
    try {
      return kindOfGrade(statute, grade);
    } catch (error) {
      if (error instanceof UnknownGradeError) throw ValidationError.field(field, `no published pay grid has a grade ${grade}`);
      throw error;
    }
  }
}
