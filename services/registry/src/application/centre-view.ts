import type { CentreDetails, CentreLocation, CentreStatus } from '../domain/centre';
import { statusOn, type ExistingCentre } from '../domain/centre-state';

/**
 * A centre as the APIs return it: its details with the commune flattened in, its lifecycle,
 * and `version`, the stream revision (the ETag).
 */
export type CentreView = Omit<CentreDetails, 'location'> &
  CentreLocation & {
    readonly finess: string;
    readonly status: CentreStatus;
    readonly accreditedOn?: string;
    readonly suspensionReason?: string;
    readonly closure?: { readonly effectiveDate: string; readonly reason: string };
    readonly version: number;
    readonly registeredAt: string;
    readonly updatedAt: string;
  };

export interface CentreTimes {
  readonly version: number;
  readonly registeredAt: string;
  readonly updatedAt: string;
}

/** `day` (YYYY-MM-DD) decides whether an announced closure has taken effect. */
export function toCentreView(centre: ExistingCentre, times: CentreTimes, day: string): CentreView {
  const d: CentreDetails = centre.details;
  return {
    finess: centre.finess,
    name: d.name,
    manager: d.manager,
    type: d.type,
    ...d.location,
    address: d.address,
    coordinates: d.coordinates,
    commitments: d.commitments,
    governance: d.governance,
    ...(d.healthProject && { healthProject: d.healthProject }),
    services: d.services,
    secpaParticipation: d.secpaParticipation,
    status: statusOn(centre, day),
    ...(centre.accreditedOn && { accreditedOn: centre.accreditedOn }),
    ...(centre.status === 'suspended' && centre.suspensionReason && { suspensionReason: centre.suspensionReason }),
    ...(centre.closure && { closure: centre.closure }),
    ...times,
  };
}

export { dayOf } from '@pcn/time';
