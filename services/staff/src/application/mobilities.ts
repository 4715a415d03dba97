import { randomUUID } from 'node:crypto';
import {
  CommandHandler,
  NotFoundError,
  PreconditionFailedError,
  inSequence,
  nameBasedUuid,
  type CommandContext,
  type CommandObserver,
  type EventStore,
  observeCommands,
} from '@pcn/eventsourcing';
import { checkUuid, parseInput } from '@pcn/validation';
import { mobilityDecider } from '../domain/mobility/mobility-decider';
import type { MobilityCommand } from '../domain/mobility/mobility-commands';
import type { MobilityEvent } from '../domain/mobility/mobility-events';
import type { Mobility, MobilityState } from '../domain/mobility/mobility-state';
import { movementPlan } from '../domain/mobility/movement-plan';
import { requestPreconditions } from '../domain/mobility/request-preconditions';
import { professionalDecider } from '../domain/professional/professional-decider';
import { vacancyDecider } from '../domain/vacancy/vacancy-decider';
import { staffEventSchemas } from './event-schemas';
import type { Careers } from './careers';
import type { Vacancies } from './vacancies';
import { today, type Clock } from './ports';
import type { MobilityRecord, StaffReadModel } from './read-model';
import { decideMobilityInput, giveOpinionInput, requestMobilityInput, withdrawMobilityInput } from './schemas';
import { mobilityStreamId } from './stream-ids';
import { fteText, type MobilityView } from './views';
import { writeOptions, type WriteOptions } from './write-options';

export interface MobilitiesDeps {
  readonly store: EventStore;
  readonly readModel: StaffReadModel;
  readonly careers: Careers;
  readonly vacancies: Vacancies;
  readonly clock: Clock;
  readonly readModelWaitMs?: number;
  readonly onCommand?: CommandObserver;
}

export function toMobilityView(record: MobilityRecord): MobilityView {
  const { mobility: m, version } = record;
  const t = m.terms;
  return {
    mobilityId: t.mobilityId,
    professionalId: t.professionalId,
    vacancyId: t.vacancyId,
    kind: t.kind,
    originCentreFiness: t.originCentreFiness,
    originAssignmentId: t.originAssignmentId,
    destinationCentreFiness: t.destinationCentreFiness,
    fte: fteText(t.fte),
    originFte: fteText(t.originFte),
    requestedOn: t.requestedOn,
    ...(t.endOn && { endOn: t.endOn }),
    status: m.status,
    ...(m.opinions.origin && { originOpinion: m.opinions.origin }),
    ...(m.opinions.destination && { destinationOpinion: m.opinions.destination }),
    ...(m.effectiveOn && { effectiveOn: m.effectiveOn }),
    ...(record.decision && { decision: record.decision }),
    ...(m.withdrawnOn && { withdrawnOn: m.withdrawnOn }),
    ...(record.movement && { movement: record.movement }),
    version,
  };
}

/**
 * Mobility: a professional applies to a vacancy, the origin and destination centres give their
 * opinion, a coordinator decides. The movement an approval commands (assignments, vacancy) is
 * applied by the movement process, from the approval event.
 */
export class Mobilities {
  readonly handler: CommandHandler<MobilityCommand, MobilityState, MobilityEvent>;

  constructor(private readonly deps: MobilitiesDeps) {
    this.handler = new CommandHandler(deps.store, mobilityDecider, {
      schemas: staffEventSchemas,
      clock: deps.clock,
      readModel: deps.readModel,
      ...(deps.readModelWaitMs !== undefined && { readModelWaitMs: deps.readModelWaitMs }),
      ...(deps.onCommand && { middleware: [observeCommands(deps.onCommand)] }),
    });
  }

  async request(input: unknown, context: CommandContext = {}): Promise<MobilityView> {
    const parsed = parseInput(requestMobilityInput, input);
    const [{ state: vacancy }, { state: professional }] = await Promise.all([
      this.deps.vacancies.load(parsed.vacancyId),
      this.deps.careers.load(parsed.professionalId),
    ]);
    const origin = professional.assignments[parsed.originAssignmentId];
    const mobilityId = context.idempotencyKey ? nameBasedUuid(`mobility:${context.idempotencyKey}`) : randomUUID();
    const command: Extract<MobilityCommand, { type: 'RequestMobility' }> = {
      type: 'RequestMobility',
      mobilityId,
      professionalId: parsed.professionalId,
      vacancyId: parsed.vacancyId,
      kind: parsed.kind,
      originCentreFiness: origin?.centreFiness ?? '',
      originAssignmentId: parsed.originAssignmentId,
      destinationCentreFiness: vacancy.centreFiness,
      // The post asked for is the vacancy's; the origin post may differ (restored after a mise à disposition).
      fte: vacancy.fte,
      originFte: parsed.originFte ?? origin?.fte ?? vacancy.fte,
      requestedOn: parsed.requestedOn ?? today(this.deps.clock),
      ...(parsed.endOn && { endOn: parsed.endOn }),
    };
    const unmet = requestPreconditions(command, vacancy, professional);
    if (unmet.length > 0) throw new PreconditionFailedError(`mobility to vacancy ${vacancy.vacancyId} cannot be requested`, unmet);
    return this.execute(mobilityId, command, { context });
  }

  async giveOpinion(mobilityId: string, input: unknown, options: WriteOptions = {}): Promise<MobilityView> {
    mobilityId = checkUuid(mobilityId, 'mobilityId', 'a mobility id');
    const parsed = parseInput(giveOpinionInput, input);
    const command: MobilityCommand = {
      type: 'GiveOpinion',
      side: parsed.side,
      opinion: parsed.opinion,
      ...(parsed.comment && { comment: parsed.comment }),
      by: options.context?.actor ?? 'unknown',
    };
    return this.execute(mobilityId, command, options);
  }

  /**
   * A coordinator's decision. An approval is tried first against the professional and the
   * vacancy as they stand (the FTE limit, the vacancy still open), so a movement that could not
   * be applied is refused here rather than failing later in the process.
   */
  async decide(mobilityId: string, input: unknown, options: WriteOptions = {}): Promise<MobilityView> {
    mobilityId = checkUuid(mobilityId, 'mobilityId', 'a mobility id');
    const parsed = parseInput(decideMobilityInput, input);
    const command: MobilityCommand = {
      type: 'DecideMobility',
      decision: parsed.decision,
      ...(parsed.effectiveOn && { effectiveOn: parsed.effectiveOn }),
      ...(parsed.reason && { reason: parsed.reason }),
      decidedBy: options.context?.actor ?? 'unknown',
    };
    if (parsed.decision === 'approved') {
      const { state } = await this.load(mobilityId);
      const events = mobilityDecider.decide(command, state);
      const approved = events.find((e) => e.type === 'MobilityApproved');
      if (approved) await this.dryRun(approved.data);
    }
    return this.execute(mobilityId, command, options);
  }

  async withdraw(mobilityId: string, input: unknown, options: WriteOptions = {}): Promise<MobilityView> {
    mobilityId = checkUuid(mobilityId, 'mobilityId', 'a mobility id');
    const parsed = parseInput(withdrawMobilityInput, input ?? {});
    return this.execute(mobilityId, { type: 'WithdrawMobility', by: options.context?.actor ?? 'unknown', on: parsed.on ?? today(this.deps.clock) }, options);
  }

  async get(mobilityId: string): Promise<MobilityView> {
    mobilityId = checkUuid(mobilityId, 'mobilityId', 'a mobility id');
    const record = await this.deps.readModel.mobility(mobilityId);
    if (record) return toMobilityView(record);
    const { state, revision } = await this.load(mobilityId);
    return toMobilityView({ mobility: state, version: revision });
  }

  async load(mobilityId: string): Promise<{ state: Mobility; revision: number }> {
    mobilityId = checkUuid(mobilityId, 'mobilityId', 'a mobility id');
    const { state, revision } = await this.handler.load(mobilityStreamId(mobilityId));
    if (!state.exists) throw new NotFoundError('mobility', mobilityId);
    return { state, revision };
  }

  private async dryRun(approved: Extract<MobilityEvent, { type: 'MobilityApproved' }>['data']): Promise<void> {
    const plan = movementPlan(approved);
    const [{ state: professional }, { state: vacancy }] = await Promise.all([
      this.deps.careers.load(plan.professional.professionalId),
      this.deps.vacancies.load(plan.vacancy.vacancyId),
    ]);
    inSequence(professionalDecider).decide(plan.professional.commands, professional);
    vacancyDecider.decide(plan.vacancy.command, vacancy);
  }

  private async execute(mobilityId: string, command: MobilityCommand, options: WriteOptions): Promise<MobilityView> {
    const result = await this.handler.handle(mobilityStreamId(mobilityId), command, writeOptions(options));
    if (!result.state.exists) throw new NotFoundError('mobility', mobilityId);
    const record = await this.deps.readModel.mobility(mobilityId);
    return toMobilityView(record && record.version === result.revision ? record : { mobility: result.state, version: result.revision });
  }
}
