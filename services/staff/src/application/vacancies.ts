import { randomUUID } from 'node:crypto';
import {
  CommandHandler,
  NotFoundError,
  ValidationError,
  nameBasedUuid,
  observeCommands,
  type CommandContext,
  type CommandObserver,
  type EventStore,
} from '@pcn/eventsourcing';
import { checkUuid, parseInput } from '@pcn/validation';
import { vacancyDecider } from '../domain/vacancy/vacancy-decider';
import type { VacancyCommand } from '../domain/vacancy/vacancy-commands';
import type { VacancyEvent } from '../domain/vacancy/vacancy-events';
import type { Vacancy, VacancyState } from '../domain/vacancy/vacancy-state';
import { staffEventSchemas } from './event-schemas';
import { requireOpenCentre } from './centre-membership';
import type { CentreDirectory, Clock, IdentifierCheck } from './ports';
import type { StaffReadModel, VacancyCount, VacancyRecord } from './read-model';
import { cancelVacancyInput, listVacanciesInput, postVacancyInput } from './schemas';
import { vacancyStreamId } from './stream-ids';
import { fteText, type VacancyPage, type VacancyView } from './views';
import { writeOptions, type WriteOptions } from './write-options';

export interface VacanciesDeps {
  readonly store: EventStore;
  readonly readModel: StaffReadModel;
  readonly centres: CentreDirectory;
  readonly checkFiness: IdentifierCheck;
  readonly clock: Clock;
  readonly readModelWaitMs?: number;
  readonly onCommand?: CommandObserver;
}

export function toVacancyView(v: Vacancy, version: number, territory: { departement?: string; region?: string } = {}): VacancyView {
  return {
    vacancyId: v.vacancyId,
    centreFiness: v.centreFiness,
    ...(territory.departement && { departement: territory.departement }),
    ...(territory.region && { region: territory.region }),
    profession: v.profession,
    fte: fteText(v.fte),
    startOn: v.startOn,
    status: v.status,
    postedBy: v.postedBy,
    ...(v.filling && { filledBy: v.filling.professionalId, filledOn: v.filling.filledOn, ...(v.filling.mobilityId && { mobilityId: v.filling.mobilityId }) }),
    ...(v.cancellation && { cancellation: v.cancellation }),
    version,
  };
}

const recordView = (r: VacancyRecord): VacancyView => toVacancyView(r.vacancy, r.version, r);

/** Posts at centres waiting for a professional: posted by a centre, filled by a mobility or cancelled. */
export class Vacancies {
  readonly handler: CommandHandler<VacancyCommand, VacancyState, VacancyEvent>;

  constructor(private readonly deps: VacanciesDeps) {
    this.handler = new CommandHandler(deps.store, vacancyDecider, {
      schemas: staffEventSchemas,
      clock: deps.clock,
      readModel: deps.readModel,
      ...(deps.readModelWaitMs !== undefined && { readModelWaitMs: deps.readModelWaitMs }),
      ...(deps.onCommand && { middleware: [observeCommands(deps.onCommand)] }),
    });
  }

  async post(input: unknown, context: CommandContext = {}): Promise<VacancyView> {
    const parsed = parseInput(postVacancyInput, input);
    const checked = this.deps.checkFiness(parsed.centreFiness);
    if (!checked.ok) throw ValidationError.field('centreFiness', checked.reason);
    const centre = await requireOpenCentre(this.deps.centres, checked.value, parsed.startOn);
    const vacancyId = context.idempotencyKey ? nameBasedUuid(`vacancy:${context.idempotencyKey}`) : randomUUID();
    const command: VacancyCommand = {
      type: 'PostVacancy',
      vacancyId,
      centreFiness: centre.finess,
      profession: parsed.profession,
      fte: parsed.fte,
      startOn: parsed.startOn,
      postedBy: context.actor ?? 'unknown',
    };
    const view = await this.execute(vacancyId, command, { context });
    return { ...view, departement: centre.departement, region: centre.region };
  }

  async cancel(vacancyId: string, input: unknown, options: WriteOptions = {}): Promise<VacancyView> {
    vacancyId = checkUuid(vacancyId, 'vacancyId', 'a vacancy id');
    const parsed = parseInput(cancelVacancyInput, input);
    return this.execute(vacancyId, { type: 'CancelVacancy', reason: parsed.reason, cancelledOn: parsed.cancelledOn }, options);
  }

  async get(vacancyId: string): Promise<VacancyView> {
    vacancyId = checkUuid(vacancyId, 'vacancyId', 'a vacancy id');
    const record = await this.deps.readModel.vacancy(vacancyId);
    if (record) return recordView(record);
    // Not projected yet (just posted): the stream is the truth.
    const { state, revision } = await this.load(vacancyId);
    return toVacancyView(state, revision);
  }

  async list(input: unknown): Promise<VacancyPage> {
    const { pageSize, pageToken, ...filter } = parseInput(listVacanciesInput, input ?? {});
    const page = await this.deps.readModel.listVacancies(filter, { size: pageSize, ...(pageToken && { token: pageToken }) });
    return { vacancies: page.records.map(recordView), totalSize: page.totalSize, ...(page.nextPageToken && { nextPageToken: page.nextPageToken }) };
  }

  /** The report "vacancies per territory and profession": open posts counted, with their FTE. */
  async report(input: unknown): Promise<{ rows: readonly (Omit<VacancyCount, 'openFte'> & { openFte: string })[]; totalOpen: number; totalOpenFte: string }> {
    const { departement, region } = parseInput(listVacanciesInput.pick({ departement: true, region: true }), input ?? {});
    const counts = await this.deps.readModel.vacancyCounts({ ...(departement && { departement }), ...(region && { region }) });
    return {
      rows: counts.map((c) => ({ ...c, openFte: fteText(c.openFte) })),
      totalOpen: counts.reduce((n, c) => n + c.open, 0),
      totalOpenFte: fteText(counts.reduce((n, c) => n + c.openFte, 0)),
    };
  }

  async load(vacancyId: string): Promise<{ state: Vacancy; revision: number }> {
    vacancyId = checkUuid(vacancyId, 'vacancyId', 'a vacancy id');
    const { state, revision } = await this.handler.load(vacancyStreamId(vacancyId));
    if (!state.exists) throw new NotFoundError('vacancy', vacancyId);
    return { state, revision };
  }

  private async execute(vacancyId: string, command: VacancyCommand, options: WriteOptions): Promise<VacancyView> {
    const result = await this.handler.handle(vacancyStreamId(vacancyId), command, writeOptions(options));
    if (!result.state.exists) throw new NotFoundError('vacancy', vacancyId);
    const record = await this.deps.readModel.vacancy(vacancyId);
    return record && record.version === result.revision ? recordView(record) : toVacancyView(result.state, result.revision);
  }
}
