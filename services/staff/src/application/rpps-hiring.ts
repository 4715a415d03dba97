import { isDeepStrictEqual } from 'node:util';
import { fold, type CommandContext, type CommandHandler, type EventStore, type RecordedEvent, type RelatedStreams } from '@pcn/eventsourcing';
import type { ProfessionalCommand } from '../domain/professional/professional-commands';
import { professionalDecider } from '../domain/professional/professional-decider';
import type { ProfessionalEvent } from '../domain/professional/professional-events';
import type { ProfessionalState } from '../domain/professional/professional-state';
import { RppsTakenError, rppsClaimDecider, rppsClaimStreamId, type RppsClaimEvent, type RppsClaimState } from '../domain/professional/rpps-claim';
import { professionalStreamId } from './stream-ids';

export type HireCommand = Extract<ProfessionalCommand, { type: 'HireProfessional' }>;

export interface HireOutcome {
  readonly state: ProfessionalState;
  readonly revision: number;
}

/** The RPPS claims, by number: the stream a hire with an RPPS reads and writes besides the professional's. */
function rppsClaims(store: EventStore): RelatedStreams<RppsClaimState, RppsClaimEvent> {
  return {
    streamId: rppsClaimStreamId,
    evolve: rppsClaimDecider.evolve,
    async load(rpps) {
      const events = await store.readStream(rppsClaimStreamId(rpps));
      return { state: fold(rppsClaimDecider, events.map(asClaimEvent)), revision: events.length - 1 };
    },
  };
}

/**
 * Hires a professional with an RPPS number: the professional's stream and the number's claim
 * (`rpps-claim-{rpps}`) are appended together, each with the revision read (no stream, for a
 * hire that lands), by the command handler's multi-stream form. Of concurrent hires of one RPPS
 * exactly one lands. A later hire of that number is the first one's repeat when it asks for
 * exactly the same thing (a retry after a lost answer, with or without an idempotency key): it
 * answers the professional already hired. Anything else is ALREADY_EXISTS naming the holder.
 */
export async function hireClaimingRpps(
  store: EventStore,
  handler: CommandHandler<ProfessionalCommand, ProfessionalState, ProfessionalEvent>,
  command: HireCommand,
  rpps: string,
  context: CommandContext,
): Promise<HireOutcome> {
  try {
    const hired = await handler.handleAcross(
      professionalStreamId(command.professionalId),
      {
        command: command.type,
        related: rppsClaims(store),
        reads: () => [rpps],
        decide: (professional, claims) => ({
          events: professionalDecider.decide(command, professional),
          related: new Map([[rpps, rppsClaimDecider.decide({ type: 'ClaimRpps', rpps, professionalId: command.professionalId }, claims.get(rpps)!)]]),
        }),
      },
      { context, request: command },
    );
    return { state: hired.state, revision: hired.revision };
  } catch (error) {
    if (!(error instanceof RppsTakenError)) throw error;
    const holder = await handler.load(professionalStreamId(error.holder));
    if (!isSameHire(holder.events[0], command)) throw error;
    return { state: holder.state, revision: holder.revision };
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
