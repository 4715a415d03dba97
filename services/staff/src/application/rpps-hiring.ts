import { isDeepStrictEqual } from 'node:util';
import {
  ConcurrencyError,
  commandFingerprint,
  eventIds,
  eventMetadata,
  fold,
  type CommandContext,
  type CommandHandler,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@pcn/eventsourcing';
import type { ProfessionalCommand } from '../domain/professional/professional-commands';
import { professionalDecider } from '../domain/professional/professional-decider';
import type { ProfessionalEvent } from '../domain/professional/professional-events';
import type { ProfessionalState } from '../domain/professional/professional-state';
import { rppsClaimDecider, rppsClaimStreamId, type RppsClaimEvent } from '../domain/professional/rpps-claim';
import { staffEventSchemas } from './event-schemas';
import { professionalStreamId } from './stream-ids';
import { scopedContext } from './write-options';

export type HireCommand = Extract<ProfessionalCommand, { type: 'HireProfessional' }>;

export interface HireOutcome {
  readonly state: ProfessionalState;
  readonly revision: number;
  /** Where the hire is in the global log (the read model waits for it). */
  readonly lastPosition: number | undefined;
}

/** A racing hire of the same RPPS settles the question on the next attempt; two are plenty. */
const MAX_ATTEMPTS = 3;

/**
 * Hires a professional with an RPPS number: the professional's stream and the number's claim
 * (`rpps-claim-{rpps}`) are both appended with "no stream", atomically. Of concurrent hires of one
 * RPPS exactly one lands. A later hire of that number is the first one's repeat when it asks for
 * exactly the same thing (a retry after a lost answer, with or without an idempotency key): it
 * answers the professional already hired. Anything else is ALREADY_EXISTS naming the holder.
 */
export async function hireClaimingRpps(
  store: EventStore,
  handler: CommandHandler<ProfessionalCommand, ProfessionalState, ProfessionalEvent>,
  command: HireCommand,
  rpps: string,
  context: CommandContext,
  occurredAt: Date,
): Promise<HireOutcome> {
  const professionalStream = professionalStreamId(command.professionalId);
  const claimStream = rppsClaimStreamId(rpps);
  const ctx = scopedContext(professionalStream, context);
  for (let attempt = 1; ; attempt++) {
    const professional = await handler.load(professionalStream);
    if (professional.revision >= 0) {
      // Only an idempotency key names a professional that exists already: the handler answers
      // the first hire when the request is the same, and refuses the key otherwise.
      const replay = await handler.handle(professionalStream, command, { context: ctx, occurredAt });
      return { state: replay.state, revision: replay.revision, lastPosition: replay.lastPosition };
    }
    const claim = fold(rppsClaimDecider, (await store.readStream(claimStream)).map(asClaimEvent));
    if (claim.claimed) {
      const holder = await handler.load(professionalStreamId(claim.professionalId));
      if (isSameHire(holder.events[0], command)) return { state: holder.state, revision: holder.revision, lastPosition: holder.events.at(-1)?.position };
    }
    const claimed = rppsClaimDecider.decide({ type: 'ClaimRpps', rpps, professionalId: command.professionalId }, claim);
    const hired = professionalDecider.decide(command, professional.state);
    const metadata = eventMetadata(ctx, occurredAt, ctx.idempotencyKey ? commandFingerprint(command) : undefined);
    // Ids as the command handler derives them, so a replay under the key is recognised by it.
    const hireIds = eventIds(hired.length, ctx.idempotencyKey);
    const claimIds = eventIds(claimed.length, context.idempotencyKey && `${claimStream}:${context.idempotencyKey}`);
    const toNew = (events: readonly { type: string; data: unknown }[], ids: readonly string[]): NewEvent[] =>
      events.map((event, i) => ({ id: ids[i]!, type: event.type, schemaVersion: staffEventSchemas.versionOf(event.type), data: event.data, metadata }));
    try {
      const result = await store.appendMany([
        { streamId: professionalStream, events: toNew(hired, hireIds), expectedRevision: 'no_stream' },
        { streamId: claimStream, events: toNew(claimed, claimIds), expectedRevision: 'no_stream' },
      ]);
      return {
        state: hired.reduce(professionalDecider.evolve, professional.state),
        revision: result.streams[0]!.nextExpectedRevision,
        lastPosition: result.lastPosition,
      };
    } catch (error) {
      // Someone else hired this RPPS (or this key) meanwhile: the next attempt sees who.
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

function asClaimEvent(event: RecordedEvent): RppsClaimEvent {
  return { type: 'RppsClaimed', data: event.data as RppsClaimEvent['data'] };
}

/** The holder was hired by exactly this request, but for the id it was given. */
function isSameHire(first: RecordedEvent | undefined, command: HireCommand): boolean {
  if (first?.type !== 'ProfessionalHired') return false;
  const [asked] = professionalDecider.decide(command, professionalDecider.initialState());
  if (!asked) return false;
  // Through JSON, as stored: absent and undefined fields are the same thing.
  const comparable = (data: unknown): unknown => JSON.parse(JSON.stringify({ ...(data as object), professionalId: '' }));
  return isDeepStrictEqual(comparable(first.data), comparable(asked.data));
}
