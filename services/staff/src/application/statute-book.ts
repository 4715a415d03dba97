import { AlreadyExistsError, CommandHandler, NotFoundError, type CommandContext, type CommandObserver, type EventStore } from '@pcn/eventsourcing';
import { parseInput } from '@pcn/validation';
import { statuteDecider, STATUTE_STREAM, type StatuteCommand, type StatuteEvent } from '../domain/statute/statute-decider';
import { indexPointValueOn, versionInForce, type Statute } from '../domain/statute/statute';
import type { IndexPointValue } from '../domain/statute/index-point';
import type { PayGridVersion } from '../domain/statute/pay-grid';
import { NoGridInForceError, NoIndexPointValueError, UnpublishableGridError } from '../domain/statute/statute-errors';
import { staffEventSchemas } from './event-schemas';
import { gridKindInput, onDateInput, publishIndexPointInput, publishPayGridInput } from './schemas';
import { today, type Clock } from './ports';

/** What the shipped data recorded at a start, and the shipped versions left out. */
export interface ShippedPublication {
  readonly recorded: number;
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
}

/** Who publishes the grids the service ships (data/), in the events' `publishedBy`. */
export const SHIPPED_DATA = 'shipped-data';

/**
 * The statute: pay grids and index-point values, published as events on one stream. Pay,
 * advancement and reclassification all read it from here. The folded statute is cached and
 * brought up to date from the stream's tail before each use, so a version another instance
 * published is seen at once.
 */
export class StatuteBook {
  private readonly handler: CommandHandler<StatuteCommand, Statute, StatuteEvent>;
  private cached: { statute: Statute; revision: number } = { statute: statuteDecider.initialState(), revision: -1 };

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    onCommand?: CommandObserver,
  ) {
    this.handler = new CommandHandler(store, statuteDecider, { schemas: staffEventSchemas, ...(onCommand && { observe: onCommand }) });
  }

  /**
   * Publishes the grids shipped with the service. Idempotent: what is already published with
   * the same figures records nothing, so it runs at every start; a shipped file that disagrees
   * with what the shipped data published under the same id stops the start-up
   * (AlreadyExistsError). A shipped version that a coordinator's publication rules out (its date
   * or id already taken by a coordinator, the grid in force before it now another one) is left
   * out and reported in `skipped`: what a coordinator published stands, and the service starts.
   */
  async publishShipped(shipped: Statute): Promise<ShippedPublication> {
    let recorded = 0;
    const skipped: { id: string; reason: string }[] = [];
    const context: CommandContext = { actor: SHIPPED_DATA };
    for (const version of shipped.gridVersions) {
      try {
        const r = await this.handler.handle(STATUTE_STREAM, { type: 'PublishGridVersion', version, publishedBy: SHIPPED_DATA }, { context });
        recorded += r.events.length;
      } catch (error) {
        const reason = await this.coordinatorConflict(version.id, error);
        if (reason === undefined) throw error;
        skipped.push({ id: version.id, reason });
      }
    }
    for (const value of shipped.indexPointValues) {
      const r = await this.handler.handle(STATUTE_STREAM, { type: 'PublishIndexPointValue', value, publishedBy: SHIPPED_DATA }, { context });
      recorded += r.events.length;
    }
    return { recorded, skipped };
  }

  /**
   * Why a shipped version may not be published because of what coordinators published, or
   * undefined when the refusal is the shipped data's own (the files are checked together when
   * loaded, so only a coordinator's version can make a valid file unpublishable, except a file
   * changed under an id the shipped data already published).
   */
  private async coordinatorConflict(id: string, error: unknown): Promise<string | undefined> {
    if (error instanceof UnpublishableGridError) return error.violations.map((v) => `${v.field}: ${v.description}`).join('; ');
    if (!(error instanceof AlreadyExistsError)) return undefined;
    const events = await this.store.readStream(STATUTE_STREAM);
    const first = events
      .map((e) => staffEventSchemas.upcast(e))
      .find((e) => e.type === 'PayGridPublished' && (e.data as { version: PayGridVersion }).version.id === id);
    const by = (first?.data as { publishedBy?: string } | undefined)?.publishedBy;
    return by !== undefined && by !== SHIPPED_DATA ? `${error.message} (published by ${by})` : undefined;
  }

  /** Publishes a version; returns it as recorded, with the grades it carried forward. */
  async publishGrid(input: unknown, context: CommandContext = {}): Promise<PayGridVersion> {
    const version = parseInput(publishPayGridInput, input) as PayGridVersion;
    const result = await this.handler.handle(
      STATUTE_STREAM,
      { type: 'PublishGridVersion', version, publishedBy: context.actor ?? 'unknown' },
      { context, occurredAt: this.clock.now() },
    );
    // The statute after the command holds the version as recorded (or as it already stood).
    const published = result.state.gridVersions.find((v) => v.id === version.id);
    if (!published) throw new NotFoundError('pay grid version', version.id);
    return published;
  }

  async publishIndexPointValue(input: unknown, context: CommandContext = {}): Promise<IndexPointValue> {
    const value = parseInput(publishIndexPointInput, input) as IndexPointValue;
    await this.handler.handle(
      STATUTE_STREAM,
      { type: 'PublishIndexPointValue', value, publishedBy: context.actor ?? 'unknown' },
      { context, occurredAt: this.clock.now() },
    );
    return value;
  }

  /** The grid version of a kind in force on a day (today when absent). */
  async gridOn(kind: unknown, on?: string): Promise<PayGridVersion> {
    const gridKind = parseInput(gridKindInput, { kind }).kind;
    const day = this.day(on);
    try {
      return versionInForce(await this.current(), gridKind, day);
    } catch (error) {
      if (error instanceof NoGridInForceError) throw new NotFoundError('pay grid', `${gridKind} in force on ${day}`);
      throw error;
    }
  }

  /** The index-point value in force on a day (today when absent), undefined before the first one. */
  async indexPointOn(on?: string): Promise<IndexPointValue | undefined> {
    const day = this.day(on);
    try {
      return indexPointValueOn(await this.current(), day);
    } catch (error) {
      if (error instanceof NoIndexPointValueError) return undefined;
      throw error;
    }
  }

  private day(on: string | undefined): string {
    return parseInput(onDateInput, on === undefined || on === '' ? {} : { on }).on ?? today(this.clock);
  }

  /** Every published version and index-point value. */
  async current(): Promise<Statute> {
    const base = this.cached;
    const tail = await this.store.readStream(STATUTE_STREAM, { fromRevision: base.revision + 1 });
    if (tail.length === 0) return base.statute;
    let { statute } = base;
    for (const recorded of tail) {
      const e = staffEventSchemas.upcast(recorded);
      statute = statuteDecider.evolve(statute, { type: e.type, data: e.data } as StatuteEvent);
    }
    // Two callers may fold the same tail at once: keep whichever reached further.
    const revision = tail[tail.length - 1]!.revision;
    if (revision > this.cached.revision) this.cached = { statute, revision };
    return statute;
  }
}
