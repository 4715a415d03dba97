/** Vocabulary of a centre de santé, as the registry records it. */

export const MANAGER_KINDS = [
  'commune',
  'epci',
  'departement',
  'region',
  'public_hospital',
  'university',
  'gip',
  'association',
  'mutuelle',
  'foundation',
  'scic',
  'commercial_company',
  'for_profit_clinic',
] as const;
export type ManagerKind = (typeof MANAGER_KINDS)[number];

export const CENTRE_TYPES = ['polyvalent', 'medical', 'community_participatory', 'dental', 'nursing'] as const;
export type CentreType = (typeof CENTRE_TYPES)[number];

export const HEALTH_PROJECT_AXES = [
  'prevention',
  'health_education',
  'therapeutic_education',
  'care_coordination',
  'access_to_rights',
  'social_support',
] as const;
export type HealthProjectAxis = (typeof HEALTH_PROJECT_AXES)[number];

export const CENTRE_SERVICES = [
  'general_medicine',
  'nursing',
  'dental_care',
  'midwifery',
  'physiotherapy',
  'psychology',
  'social_work',
  'health_mediation',
  'specialist_consultations',
  'sexual_and_reproductive_health',
  'lab_sampling',
  'imaging',
] as const;
export type CentreServiceKind = (typeof CENTRE_SERVICES)[number];

export const CENTRE_STATUSES = ['candidate', 'member', 'suspended', 'closed'] as const;
export type CentreStatus = (typeof CENTRE_STATUSES)[number];

export interface Manager {
  readonly kind: ManagerKind;
  readonly name: string;
  /** SIREN of the managing body, when known (9 digits). */
  readonly siren?: string;
}

export interface Address {
  readonly line1: string;
  readonly line2?: string;
  readonly postalCode: string;
  readonly city: string;
}

export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/** Where the centre is, resolved from the INSEE code against the official list of communes. */
export interface CentreLocation {
  readonly communeInsee: string;
  readonly communeName: string;
  readonly departement: string;
  readonly region: string;
}

export interface Commitments {
  /** Secteur 1: no excess fees (dépassements d'honoraires). */
  readonly sector1FeesOnly: boolean;
  /** Tiers payant intégral: patients advance nothing. */
  readonly fullThirdPartyPayment: boolean;
  readonly salariedStaff: boolean;
}

/** Seats on the governing body for each of the three colleges. */
export interface Governance {
  readonly electedOfficialsSeats: number;
  readonly usersSeats: number;
  readonly staffSeats: number;
}

export interface HealthProject {
  /** YYYY-MM-DD */
  readonly adoptedOn: string;
  readonly axes: readonly HealthProjectAxis[];
}

/** Everything a coordinator declares about a centre, and may later amend. */
export interface CentreDetails {
  readonly name: string;
  readonly manager: Manager;
  readonly type: CentreType;
  readonly location: CentreLocation;
  readonly address: Address;
  readonly coordinates: GeoPoint;
  readonly commitments: Commitments;
  readonly governance: Governance;
  readonly healthProject?: HealthProject;
  readonly services: readonly CentreServiceKind[];
  /** Takes part in the SECPa experiment (structures d'exercice coordonné participatives). */
  readonly secpaParticipation: boolean;
}
