import type { IsoDate } from '@pcn/time';

/**
 * `transfer`: the post moves for good. `secondment` (détachement): the professional leaves the
 * origin centre's team for a fixed term. `temporary_assignment` (mise à disposition): the
 * professional stays attached to the origin centre and works at the destination for a fixed term.
 */
export const MOBILITY_KINDS = ['transfer', 'secondment', 'temporary_assignment'] as const;
export type MobilityKind = (typeof MOBILITY_KINDS)[number];

export const OPINION_SIDES = ['origin', 'destination'] as const;
export type OpinionSide = (typeof OPINION_SIDES)[number];

export const OPINIONS = ['favourable', 'unfavourable'] as const;
export type Opinion = (typeof OPINIONS)[number];

export const MOBILITY_DECISIONS = ['approved', 'rejected'] as const;
export type MobilityDecision = (typeof MOBILITY_DECISIONS)[number];

/** The term of the movement: only fixed-term movements have an end, and they always have one. */
export type MobilityTerm =
  { readonly kind: 'transfer'; readonly endOn?: undefined } | { readonly kind: 'secondment' | 'temporary_assignment'; readonly endOn: IsoDate };

/** What was asked: every later event that a process or a read model acts on repeats it. */
export type MobilityTerms = MobilityTerm & {
  readonly mobilityId: string;
  readonly professionalId: string;
  readonly vacancyId: string;
  readonly originCentreFiness: string;
  readonly originAssignmentId: string;
  readonly destinationCentreFiness: string;
  /** FTE at the destination, in ten-thousandths. */
  readonly fte: number;
  /** FTE of the origin assignment, restored at the end of a temporary assignment. */
  readonly originFte: number;
  readonly requestedOn: IsoDate;
};

export interface OpinionRecord {
  readonly opinion: Opinion;
  readonly comment?: string;
  readonly by: string;
}

/** Both centres' opinions, as the coordinator heard them. */
export interface Opinions {
  readonly origin: OpinionRecord;
  readonly destination: OpinionRecord;
}

/** Stream `mobility-{mobilityId}`: requested, two opinions, then approved, rejected or withdrawn. */
export type MobilityEvent =
  | { readonly type: 'MobilityRequested'; readonly data: MobilityTerms }
  | {
      readonly type: 'MobilityOpinionGiven';
      readonly data: OpinionRecord & {
        readonly mobilityId: string;
        readonly side: OpinionSide;
        /** The centre giving the opinion, so a centre's inbox needs no join. */
        readonly centreFiness: string;
      };
    }
  | {
      readonly type: 'MobilityApproved';
      readonly data: MobilityTerms & { readonly effectiveOn: IsoDate; readonly opinions: Opinions; readonly reason?: string; readonly decidedBy: string };
    }
  | { readonly type: 'MobilityRejected'; readonly data: MobilityTerms & { readonly opinions: Opinions; readonly reason: string; readonly decidedBy: string } }
  | {
      readonly type: 'MobilityWithdrawn';
      readonly data: { readonly mobilityId: string; readonly professionalId: string; readonly vacancyId: string; readonly by: string; readonly on: IsoDate };
    };

export type MobilityApproved = Extract<MobilityEvent, { type: 'MobilityApproved' }>;
