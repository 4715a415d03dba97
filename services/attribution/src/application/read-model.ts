import type { IsoDate, Period } from '../domain/iso-date';
import type { WaitingPatient } from '../domain/waitlist/priority';

export type TerritoryKind = 'commune' | 'departement' | 'region';
export interface Territory {
  readonly kind: TerritoryKind;
  /** INSEE commune code, département code (01–95, 2A, 2B, 971–976) or région code. */
  readonly code: string;
}

export interface Page {
  readonly pageSize: number;
  /** Opaque token from the previous page. */
  readonly pageToken?: string;
}

export interface PanelMember {
  readonly patientId: string;
  readonly attributionId: string;
  readonly centreFiness: string;
  readonly since: IsoDate;
}

/** One patient on a centre's roster on a day: what capitation billing needs, and no more. */
export interface RosterEntry {
  readonly patientId: string;
  readonly attributionId: string;
  readonly rpps: string;
  readonly since: IsoDate;
  /** First day outside the roster, when known. */
  readonly until?: IsoDate;
  /** YYYY-MM: the birth day is not needed for age bands. */
  readonly birthYearMonth: string;
  readonly sex: 'female' | 'male';
  readonly communeInsee: string;
  readonly ald: readonly Period[];
  readonly c2s: readonly Period[];
}

export interface AffectedPatient {
  readonly patientId: string;
  readonly attributionId: string;
  readonly ald: readonly Period[];
}

export interface CommuneCoverage {
  readonly communeInsee: string;
  /** Registered patients living there (deceased excluded). */
  readonly patients: number;
  readonly withMedecinTraitant: number;
  readonly withoutMedecinTraitant: number;
  /** Without a médecin traitant and with an ALD running on the day. */
  readonly chronicWithout: number;
}

export interface PageOf<T> {
  readonly items: readonly T[];
  readonly nextPageToken?: string;
}

/**
 * Queries over attribution's own read model (projection `attribution` of the patient streams).
 * Decisions never rest on it alone: the streams are the truth, the read model finds who to look
 * at.
 */
export interface AttributionReadModel {
  /** Resolves once the projection has seen every patient event appended so far (bounded wait). */
  catchUp(): Promise<void>;
  /** Patients whose current attribution is at this centre, with this GP when `rpps` is given. */
  activeAttributions(filter: { centreFiness: string; rpps?: string }): Promise<readonly AffectedPatient[]>;
  panelMembers(rpps: string, page: Page): Promise<PageOf<PanelMember>>;
  roster(centreFiness: string, asOf: IsoDate, page: Page): Promise<PageOf<RosterEntry>>;
  /** Patients waiting in the territory with no proposal pending, in priority order on `day`. */
  waiting(territory: Territory, day: IsoDate, limit: number): Promise<readonly WaitingPatient[]>;
  /** Proposals still awaiting an answer, per GP. */
  pendingProposals(rppsList: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** The patient a proposal was made to. */
  proposalPatient(proposalId: string): Promise<string | undefined>;
  /** Per commune of the territory where at least one patient lives. */
  coverage(territory: Territory, day: IsoDate): Promise<readonly CommuneCoverage[]>;
}
