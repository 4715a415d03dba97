import type { IsoDate } from '@pcn/time';
import type { MobilityDecision, MobilityKind, Opinion, OpinionSide } from './mobility-events';

/**
 * Commands arrive shaped by the edge. What only the other aggregates know (the vacancy is open
 * at the destination centre for this profession, the origin assignment is the professional's
 * and runs at the origin centre) is checked by the application with `requestPreconditions`
 * before `RequestMobility` is decided.
 */
export type MobilityCommand =
  | {
      readonly type: 'RequestMobility';
      readonly mobilityId: string;
      readonly professionalId: string;
      readonly vacancyId: string;
      readonly kind: MobilityKind;
      readonly originCentreFiness: string;
      /** The assignment the professional leaves (ended on the effective date). */
      readonly originAssignmentId: string;
      readonly destinationCentreFiness: string;
      /** FTE at the destination, in ten-thousandths (1 to 10000). */
      readonly fte: number;
      /**
       * FTE of the origin assignment, the one restored at the end of a temporary assignment;
       * defaults to `fte` (the whole post moves).
       */
      readonly originFte?: number;
      readonly requestedOn: IsoDate;
      /** Required for a secondment or a temporary assignment, forbidden for a transfer. */
      readonly endOn?: IsoDate;
    }
  | { readonly type: 'GiveOpinion'; readonly side: OpinionSide; readonly opinion: Opinion; readonly comment?: string; readonly by: string }
  | {
      readonly type: 'DecideMobility';
      readonly decision: MobilityDecision;
      /** Required when approved: on or after `requestedOn`, before `endOn`. */
      readonly effectiveOn?: IsoDate;
      /** Required when rejected. */
      readonly reason?: string;
      readonly decidedBy: string;
    }
  | { readonly type: 'WithdrawMobility'; readonly by: string; readonly on: IsoDate };
