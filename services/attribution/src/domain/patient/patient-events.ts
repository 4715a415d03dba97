import type { IsoDate } from '../iso-date';
import type { PatientProfile, ProfileField } from './patient-profile';

/** How a declaration reached the network. The last two are made by the service itself. */
export const DECLARATION_CHANNELS = ['paper_form', 'teleservice', 'centre_software', 'waitlist_match', 'reattribution'] as const;
export type DeclarationChannel = (typeof DECLARATION_CHANNELS)[number];
/** The channels a caller may name; the others are the service's own. */
export const CALLER_CHANNELS = ['paper_form', 'teleservice', 'centre_software'] as const satisfies readonly DeclarationChannel[];

export const END_REASONS = ['patient_request', 'death', 'moved_away', 'practitioner_departed', 'centre_closed'] as const;
export type EndReason = (typeof END_REASONS)[number];
/** The reasons a caller may give; the others come from the departure process. */
export const CALLER_END_REASONS = ['patient_request', 'death', 'moved_away'] as const satisfies readonly EndReason[];

/** Who put a patient on the waitlist. */
export type Enroller =
  { readonly kind: 'centre'; readonly centreFiness: string } | { readonly kind: 'coordinator' } | { readonly kind: 'departure'; readonly departureId: string };

/** A GP a patient is (or would be) attributed to, at one centre. */
export interface Practitioner {
  readonly rpps: string;
  readonly professionalId: string;
  readonly centreFiness: string;
}

export interface PatientRegistered {
  readonly type: 'PatientRegistered';
  readonly data: { readonly patientId: string; readonly profile: PatientProfile };
}

export interface PatientUpdated {
  readonly type: 'PatientUpdated';
  readonly data: { readonly patientId: string; readonly profile: PatientProfile; readonly changed: readonly ProfileField[] };
}

export interface MedecinTraitantDeclared {
  readonly type: 'MedecinTraitantDeclared';
  readonly data: Practitioner & {
    readonly patientId: string;
    readonly attributionId: string;
    readonly effectiveDate: IsoDate;
    readonly channel: DeclarationChannel;
    /** The attribution this one replaces, ended on `effectiveDate`. */
    readonly replaces?: Practitioner & { readonly attributionId: string };
    readonly proposalId?: string;
    readonly departureId?: string;
  };
}

export interface AttributionEnded {
  readonly type: 'AttributionEnded';
  readonly data: Practitioner & {
    readonly patientId: string;
    readonly attributionId: string;
    /** First day without this médecin traitant. */
    readonly endDate: IsoDate;
    readonly reason: EndReason;
    readonly departureId?: string;
  };
}

export interface WaitlistEnrolled {
  readonly type: 'WaitlistEnrolled';
  readonly data: {
    readonly patientId: string;
    readonly waitingSince: IsoDate;
    readonly enrolledBy: Enroller;
    /** Set for patients whose doctor or centre went away: they come before everyone else. */
    readonly topPriority: boolean;
  };
}

export interface ProposalMade {
  readonly type: 'ProposalMade';
  readonly data: Practitioner & { readonly patientId: string; readonly proposalId: string; readonly distanceKm: number; readonly proposedOn: IsoDate };
}

export interface ProposalDeclined {
  readonly type: 'ProposalDeclined';
  readonly data: { readonly patientId: string; readonly proposalId: string; readonly reason: string };
}

/**
 * The patient's personal data were erased (GDPR art. 17): their key is destroyed after this event,
 * so the profile in earlier events can no longer be read. The stream keeps the pseudonymous id.
 */
export interface PatientErased {
  readonly type: 'PatientErased';
  readonly data: { readonly patientId: string; readonly erasedOn: IsoDate };
}

export type PatientEvent =
  PatientRegistered | PatientUpdated | MedecinTraitantDeclared | AttributionEnded | WaitlistEnrolled | ProposalMade | ProposalDeclined | PatientErased;
