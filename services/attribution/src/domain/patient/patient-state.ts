import type { IsoDate } from '../iso-date';
import type { DeclarationChannel, Enroller, PatientEvent, Practitioner } from './patient-events';
import type { PatientProfile } from './patient-profile';

export interface CurrentAttribution extends Practitioner {
  readonly attributionId: string;
  readonly start: IsoDate;
  readonly channel: DeclarationChannel;
}

export interface WaitlistPlace {
  readonly since: IsoDate;
  readonly enrolledBy: Enroller;
  readonly topPriority: boolean;
}

export interface PendingProposal extends Practitioner {
  readonly proposalId: string;
  readonly distanceKm: number;
  readonly proposedOn: IsoDate;
}

export interface PatientState {
  readonly patientId?: string;
  readonly profile?: PatientProfile;
  readonly deceased: boolean;
  readonly current?: CurrentAttribution;
  /** End of the latest attribution that ended: a new one may not start before it. */
  readonly lastEnd?: IsoDate;
  readonly waitlist?: WaitlistPlace;
  readonly pendingProposal?: PendingProposal;
  /** Every proposal ever made, for the idempotency of confirmations and declines. */
  readonly proposals: ReadonlyMap<string, 'pending' | 'declined' | 'confirmed'>;
  /** The centre each proposal went to, answered or not: only that centre may answer it (centre-scope.ts). */
  readonly proposalCentres: ReadonlyMap<string, string>;
  /** Personal data erased: no profile any more (a redacted event brings none either), no command applies. */
  readonly erased?: IsoDate;
}

export const initialPatientState = (): PatientState => ({ deceased: false, proposals: new Map(), proposalCentres: new Map() });

export function evolvePatient(state: PatientState, event: PatientEvent): PatientState {
  switch (event.type) {
    case 'PatientRegistered':
      return { ...state, patientId: event.data.patientId, profile: event.data.profile };
    case 'PatientUpdated':
      return { ...state, profile: event.data.profile };
    case 'MedecinTraitantDeclared': {
      const d = event.data;
      const proposals = new Map(state.proposals);
      if (state.pendingProposal) proposals.set(state.pendingProposal.proposalId, d.proposalId === state.pendingProposal.proposalId ? 'confirmed' : 'declined');
      const { waitlist: _w, pendingProposal: _p, ...rest } = state;
      return {
        ...rest,
        proposals,
        current: {
          attributionId: d.attributionId,
          rpps: d.rpps,
          professionalId: d.professionalId,
          centreFiness: d.centreFiness,
          start: d.effectiveDate,
          channel: d.channel,
        },
        ...(d.replaces && { lastEnd: d.effectiveDate }),
      };
    }
    case 'AttributionEnded': {
      const { current: _c, ...rest } = state;
      return { ...rest, lastEnd: event.data.endDate, deceased: state.deceased || event.data.reason === 'death' };
    }
    case 'WaitlistEnrolled':
      return { ...state, waitlist: { since: event.data.waitingSince, enrolledBy: event.data.enrolledBy, topPriority: event.data.topPriority } };
    case 'ProposalMade': {
      const { patientId: _id, ...proposal } = event.data;
      return {
        ...state,
        pendingProposal: proposal,
        proposals: new Map(state.proposals).set(proposal.proposalId, 'pending'),
        proposalCentres: new Map(state.proposalCentres).set(proposal.proposalId, proposal.centreFiness),
      };
    }
    case 'ProposalDeclined': {
      const { pendingProposal: _p, ...rest } = state;
      return { ...rest, proposals: new Map(state.proposals).set(event.data.proposalId, 'declined') };
    }
    case 'PatientErased': {
      const { profile: _p, current: _c, waitlist: _w, pendingProposal: _pp, ...rest } = state;
      return { ...rest, erased: event.data.erasedOn };
    }
  }
}

export function foldPatient(events: readonly PatientEvent[]): PatientState {
  return events.reduce(evolvePatient, initialPatientState());
}
