import type { IsoDate, Period } from '../domain/iso-date';
import type { DeclarationChannel, EndReason, Enroller } from '../domain/patient/patient-events';
import type { Sex } from '../domain/patient/patient-profile';

/** A patient as callers see them: pseudonymous id and profile, never the NIR. */
export interface PatientView {
  readonly patientId: string;
  readonly birthDate: IsoDate;
  readonly sex: Sex;
  readonly communeInsee: string;
  readonly ald: readonly Period[];
  readonly c2s: readonly Period[];
  readonly deceased: boolean;
  readonly current?: AttributionView;
  readonly waitlist?: WaitlistView;
  readonly pendingProposal?: ProposalView;
  /** Revision of the patient's stream: the version for optimistic concurrency (ETag). */
  readonly version: number;
}

export interface AttributionView {
  readonly attributionId: string;
  readonly rpps: string;
  readonly professionalId: string;
  readonly centreFiness: string;
  readonly start: IsoDate;
  /** First day without this médecin traitant; absent while current. */
  readonly end?: IsoDate;
  readonly endReason?: EndReason | 'replaced';
  readonly channel: DeclarationChannel;
}

export interface WaitlistView {
  readonly waitingSince: IsoDate;
  readonly enrolledBy: Enroller;
  readonly topPriority: boolean;
}

export interface ProposalView {
  readonly proposalId: string;
  readonly patientId: string;
  readonly rpps: string;
  readonly professionalId: string;
  readonly centreFiness: string;
  readonly distanceKm: number;
  readonly proposedOn: IsoDate;
}

/** Current attribution and every past one, oldest first. */
export interface AttributionHistoryView {
  readonly patientId: string;
  readonly current?: AttributionView;
  readonly history: readonly AttributionView[];
}

export interface PanelView {
  readonly rpps: string;
  readonly count: number;
  readonly capacity: number;
  /** Set when a coordinator fixed the capacity instead of FTE × norm. */
  readonly capacityOverride?: number;
  readonly asOf: IsoDate;
  readonly patients: readonly { readonly patientId: string; readonly attributionId: string; readonly centreFiness: string; readonly since: IsoDate }[];
  readonly nextPageToken?: string;
}

export interface MatchView {
  readonly proposals: readonly ProposalView[];
  /** `changed_meanwhile`: declared or proposed to by a concurrent run since the waitlist was read. */
  readonly unmatched: readonly { readonly patientId: string; readonly reason: 'no_location' | 'no_gp_in_reach' | 'changed_meanwhile' }[];
  /** Waiting patients considered in this run (at most the limit). */
  readonly considered: number;
}

export interface CoverageFigures {
  /** Municipal population (2021 census) of the communes counted. */
  readonly inhabitants: number;
  readonly patients: number;
  readonly withMedecinTraitant: number;
  readonly withoutMedecinTraitant: number;
  readonly chronicWithout: number;
}

export interface CoverageView extends CoverageFigures {
  readonly territory: { readonly kind: 'commune' | 'departement' | 'region'; readonly code: string; readonly name: string };
  readonly asOf: IsoDate;
  /** One level down: départements of a région, communes of a département; empty for a commune. */
  readonly parts: readonly (CoverageFigures & { readonly code: string; readonly name: string })[];
}
