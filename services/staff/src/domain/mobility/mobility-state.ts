import type { IsoDate } from '@pcn/time';
import type { MobilityTerms, OpinionRecord, OpinionSide } from './mobility-events';

export const MOBILITY_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type MobilityStatus = (typeof MOBILITY_STATUSES)[number];

export type MobilityState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly terms: MobilityTerms;
      readonly status: MobilityStatus;
      readonly opinions: Readonly<Partial<Record<OpinionSide, OpinionRecord>>>;
      /** Set once approved. */
      readonly effectiveOn?: IsoDate;
      /** Set once withdrawn. */
      readonly withdrawnOn?: IsoDate;
    };

export type Mobility = Extract<MobilityState, { exists: true }>;

/** The centre on each side of the movement. */
export function centreOf(terms: Pick<MobilityTerms, 'originCentreFiness' | 'destinationCentreFiness'>, side: OpinionSide): string {
  return side === 'origin' ? terms.originCentreFiness : terms.destinationCentreFiness;
}
