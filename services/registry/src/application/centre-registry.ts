import { isDeepStrictEqual } from 'node:util';
import {
  AlreadyExistsError,
  CommandHandler,
  NotFoundError,
  ValidationError,
  observeCommands,
  toHistoryEntry,
  type CommandContext,
  type CommandObserver,
  type EventStore,
  type FieldViolation,
  type HistoryEntry,
  type RecordedEvent,
} from '@pcn/eventsourcing';
import { centreDecider } from '../domain/centre-decider';
import type { CentreDetails, CentreLocation, GeoPoint } from '../domain/centre';
import type { CentreCommand } from '../domain/commands';
import type { CentreEvent } from '../domain/events';
import type { CentreState } from '../domain/centre-state';
import { statusOnDay } from '../domain/status-on-day';
import { parseInput } from '@pcn/validation';
import {
  accreditCentreInput,
  amendCentreInput,
  getCentreInput,
  closeCentreInput,
  listCentresInput,
  registerCentreInput,
  reinstateCentreInput,
  suspendCentreInput,
  type AmendCentreInput,
} from './schemas';
import { dayOf, toCentreView, type CentreView } from './centre-view';
import type { CentrePage, CentreReadModel } from './centre-read-model';
import type { Clock, CommuneLookup, IdentifierCheck } from './ports';
import { centreEventSchemas } from './event-schemas';

export const centreStreamId = (finess: string): string => `centre-${finess}`;

export interface CentreRegistryDeps {
  readonly store: EventStore;
  readonly readModel: CentreReadModel;
  readonly communes: CommuneLookup;
  readonly checkFiness: IdentifierCheck;
  readonly clock: Clock;
  /** How long a write waits for the read model before answering from the stream. */
  readonly readModelWaitMs?: number;
  readonly onCommand?: CommandObserver;
}

/** Writes take the version the caller last saw; a stale one is a ConcurrencyError. */
export interface WriteOptions {
  readonly expectedVersion: number;
  readonly context?: CommandContext;
}

/**
 * The registry's use cases. Inputs are `unknown` on purpose: this is where they are validated,
 * whatever the transport, and nothing is written unless every field is valid.
 */
export class CentreRegistry {
  private readonly handler: CommandHandler<CentreCommand, CentreState, CentreEvent>;

  constructor(private readonly deps: CentreRegistryDeps) {
    this.handler = new CommandHandler(deps.store, centreDecider, {
      schemas: centreEventSchemas,
      clock: deps.clock,
      readModel: deps.readModel,
      ...(deps.readModelWaitMs !== undefined && { readModelWaitMs: deps.readModelWaitMs }),
      ...(deps.onCommand && { middleware: [observeCommands(deps.onCommand)] }),
    });
  }

  async register(input: unknown, context: CommandContext = {}): Promise<CentreView> {
    const parsed = parseInput(registerCentreInput, input);
    const finess = this.finess(parsed.finess, 'finess');
    const location = this.resolveCommune(parsed.communeInsee);
    const details: CentreDetails = {
      name: parsed.name,
      manager: parsed.manager,
      type: parsed.type,
      location,
      address: parsed.address,
      coordinates: this.coordinates(parsed.coordinates, parsed.communeInsee),
      commitments: parsed.commitments,
      governance: parsed.governance,
      ...(parsed.healthProject && { healthProject: parsed.healthProject }),
      services: parsed.services,
      secpaParticipation: parsed.secpaParticipation,
    };
    // No expected version: a concurrent registration of the same FINESS is decided again, and
    // the decider answers ALREADY_EXISTS rather than a version mismatch.
    const command: CentreCommand = { type: 'RegisterCentre', finess, details };
    try {
      return await this.execute(finess, command, undefined, context);
    } catch (error) {
      // The FINESS is the natural key: the same registration again (a retry after a lost
      // answer, key or no key) answers the centre it registered; any other is ALREADY_EXISTS.
      if (error instanceof AlreadyExistsError && (await this.registeredBy(finess, command))) return this.current(finess);
      throw error;
    }
  }

  async amend(finessRaw: string, input: unknown, options: WriteOptions): Promise<CentreView> {
    const finess = this.finess(finessRaw, 'finess');
    const changes = this.amendments(parseInput(amendCentreInput, input));
    return this.execute(finess, { type: 'AmendCentre', finess, changes }, options.expectedVersion, options.context);
  }

  async accredit(finessRaw: string, input: unknown, options: WriteOptions): Promise<CentreView> {
    const { accreditedOn } = parseInput(accreditCentreInput, input);
    const finess = this.finess(finessRaw, 'finess');
    return this.execute(finess, { type: 'AccreditCentre', finess, accreditedOn }, options.expectedVersion, options.context);
  }

  async suspend(finessRaw: string, input: unknown, options: WriteOptions): Promise<CentreView> {
    const { reason } = parseInput(suspendCentreInput, input);
    const finess = this.finess(finessRaw, 'finess');
    return this.execute(finess, { type: 'SuspendCentre', finess, reason, today: dayOf(this.deps.clock.now()) }, options.expectedVersion, options.context);
  }

  async reinstate(finessRaw: string, input: unknown, options: WriteOptions): Promise<CentreView> {
    parseInput(reinstateCentreInput, input ?? {});
    const finess = this.finess(finessRaw, 'finess');
    return this.execute(finess, { type: 'ReinstateCentre', finess }, options.expectedVersion, options.context);
  }

  async close(finessRaw: string, input: unknown, options: WriteOptions): Promise<CentreView> {
    const { effectiveDate, reason } = parseInput(closeCentreInput, input);
    const finess = this.finess(finessRaw, 'finess');
    return this.execute(finess, { type: 'CloseCentre', finess, effectiveDate, reason }, options.expectedVersion, options.context);
  }

  /**
   * A centre, now or in the past, in two independent senses. `asOf` is an instant of the event
   * log: what the registry had recorded by then. `on` is a business day: the status the centre
   * has on that day by the dates of its events (accreditation, closure, suspension), as recorded
   * by `asOf` (by now when absent). Without either, the read model answers, with today's status.
   */
  async get(finessRaw: string, asOf?: string, on?: string): Promise<CentreView> {
    const finess = this.finess(finessRaw, 'finess');
    const query = parseInput(getCentreInput, { ...(asOf !== undefined && { asOf }), ...(on !== undefined && { on }) });
    if (query.asOf === undefined && query.on === undefined) {
      const view = await this.deps.readModel.get(finess, dayOf(this.deps.clock.now()));
      if (!view) throw new NotFoundError('centre', finess);
      return view;
    }
    const at = query.asOf === undefined ? undefined : new Date(query.asOf);
    const { state, events } = await this.handler.load(centreStreamId(finess), at);
    const upTo = at ? events.filter((e) => Date.parse(e.metadata.occurredAt) <= at.getTime()) : events;
    if (!state.exists || upTo.length === 0) throw new NotFoundError('centre', at ? `${finess} as of ${query.asOf}` : finess);
    const day = query.on ?? dayOf(at ?? this.deps.clock.now());
    const onDay = statusOnDay(
      upTo.map((e) => ({ event: { type: e.type, data: e.data } as CentreEvent, recordedOn: e.metadata.occurredAt.slice(0, 10) })),
      day,
    );
    if (!onDay) throw new NotFoundError('centre', `${finess} on ${day} (registered on ${upTo[0]!.metadata.occurredAt.slice(0, 10)})`);
    const { suspensionReason: _current, ...view } = toCentreView(state, times(upTo), day);
    return { ...view, status: onDay.status, ...(onDay.suspensionReason !== undefined && { suspensionReason: onDay.suspensionReason }) };
  }

  async list(input: unknown): Promise<CentrePage> {
    const { pageSize, pageToken, ...filter } = parseInput(listCentresInput, input);
    return this.deps.readModel.list(filter, { size: pageSize, ...(pageToken && { token: pageToken }) }, dayOf(this.deps.clock.now()));
  }

  async history(finessRaw: string): Promise<HistoryEntry[]> {
    const finess = this.finess(finessRaw, 'finess');
    const { events } = await this.handler.load(centreStreamId(finess));
    if (events.length === 0) throw new NotFoundError('centre', finess);
    return events.map(toHistoryEntry);
  }

  /** The command through the handler; the answer is what the read model serves next, else the stream's. */
  private async execute(finess: string, command: CentreCommand, expected: number | undefined, context: CommandContext = {}): Promise<CentreView> {
    const result = await this.handler.handle(centreStreamId(finess), command, { ...(expected !== undefined && { expectedRevision: expected }), context });
    if (!result.state.exists) throw new NotFoundError('centre', finess);
    const view = result.caughtUp ? await this.deps.readModel.get(finess, dayOf(this.deps.clock.now())) : undefined;
    return view ?? this.viewFromStream(finess);
  }

  /** Whether the centre's registration recorded exactly what this command asks. */
  private async registeredBy(finess: string, command: CentreCommand): Promise<boolean> {
    const [first] = await this.deps.store.readStream(centreStreamId(finess), { maxCount: 1 });
    const [asked] = centreDecider.decide(command, centreDecider.initialState());
    if (!first || !asked || first.type !== asked.type) return false;
    // Through JSON, as stored: absent and undefined fields are the same thing.
    const comparable = (data: unknown): unknown => JSON.parse(JSON.stringify(data));
    return isDeepStrictEqual(comparable(centreEventSchemas.upcast(first).data), comparable(asked.data));
  }

  private async current(finess: string): Promise<CentreView> {
    return (await this.deps.readModel.get(finess, dayOf(this.deps.clock.now()))) ?? this.viewFromStream(finess);
  }

  private async viewFromStream(finess: string): Promise<CentreView> {
    const { state, events } = await this.handler.load(centreStreamId(finess));
    if (!state.exists) throw new NotFoundError('centre', finess);
    return toCentreView(state, times(events), dayOf(this.deps.clock.now()));
  }

  private finess(raw: string, field: string): string {
    const checked = this.deps.checkFiness(raw ?? '');
    if (!checked.ok) throw ValidationError.field(field, checked.reason);
    return checked.value;
  }

  private resolveCommune(insee: string): CentreLocation {
    const commune = this.deps.communes.get(insee);
    if (!commune) throw ValidationError.field('communeInsee', `no commune has INSEE code ${insee} in the official list`);
    return { communeInsee: commune.insee, communeName: commune.name, departement: commune.departement, region: commune.region };
  }

  private coordinates(given: GeoPoint | undefined, insee: string): GeoPoint {
    if (given) return given;
    const centroid = this.deps.communes.get(insee)?.coordinates;
    if (!centroid) throw ValidationError.field('coordinates', `are required: commune ${insee} has no known centroid`);
    return centroid;
  }

  private amendments(input: AmendCentreInput): Partial<CentreDetails> {
    const { communeInsee, ...rest } = input;
    const violations: FieldViolation[] = [];
    const changes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) changes[k] = v;
    if (communeInsee !== undefined) {
      const commune = this.deps.communes.get(communeInsee);
      if (!commune) violations.push({ field: 'communeInsee', description: `no commune has INSEE code ${communeInsee} in the official list` });
      else {
        changes.location = { communeInsee: commune.insee, communeName: commune.name, departement: commune.departement, region: commune.region };
        // A centre that moves to another commune without new coordinates takes its centroid,
        // as at registration: the old position would place it in the wrong commune.
        if (rest.coordinates === undefined) {
          if (commune.coordinates) changes.coordinates = commune.coordinates;
          else violations.push({ field: 'coordinates', description: `are required: commune ${communeInsee} has no known centroid` });
        }
      }
    }
    if (violations.length) throw new ValidationError(violations);
    return changes as Partial<CentreDetails>;
  }
}

function times(events: readonly RecordedEvent[]): { version: number; registeredAt: string; updatedAt: string } {
  return {
    version: events[events.length - 1]!.revision,
    registeredAt: events[0]!.metadata.occurredAt,
    updatedAt: events[events.length - 1]!.metadata.occurredAt,
  };
}
