import { AlreadyExistsError, type Decider } from '@pcn/eventsourcing';

/**
 * An RPPS number belongs to one professional. The claim lives on its own stream, appended with
 * "no stream" in the same atomic append as the hire, so two hires of one RPPS cannot both land,
 * however close together they arrive (docs/adr/0015).
 */
export const rppsClaimStreamId = (rpps: string): string => `rpps-claim-${rpps}`;

export interface ClaimRpps {
  readonly type: 'ClaimRpps';
  readonly rpps: string;
  readonly professionalId: string;
}

export type RppsClaimEvent = { readonly type: 'RppsClaimed'; readonly data: { readonly rpps: string; readonly professionalId: string } };

export type RppsClaimState = { readonly claimed: false } | { readonly claimed: true; readonly rpps: string; readonly professionalId: string };

/** Refused for another professional, naming the one who holds the number (the caller may want that one). */
export class RppsTakenError extends AlreadyExistsError {
  constructor(
    readonly rpps: string,
    readonly holder: string,
  ) {
    super('professional with RPPS', rpps);
    this.message = `a professional with RPPS ${rpps} is already hired (professional ${holder}): read or update that one`;
  }
}

export const rppsClaimDecider: Decider<ClaimRpps, RppsClaimState, RppsClaimEvent> = {
  initialState: () => ({ claimed: false }),
  decide(command, state) {
    if (!state.claimed) return [{ type: 'RppsClaimed', data: { rpps: command.rpps, professionalId: command.professionalId } }];
    // The same professional claiming again (a replayed hire) changes nothing.
    if (state.professionalId === command.professionalId) return [];
    throw new RppsTakenError(command.rpps, state.professionalId);
  },
  evolve: (_state, event) => ({ claimed: true, rpps: event.data.rpps, professionalId: event.data.professionalId }),
};
