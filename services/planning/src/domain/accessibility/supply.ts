import type { SupplyPoint } from './inputs';
import type { SupplyScope } from './parameters';

/** A centre of the network with the GP FTE assigned to it and its position. */
export interface NetworkCentre {
  readonly finess: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly gpFte: number;
}

/** GP FTE practising outside the network in one commune (imported by coordinators). */
export interface OutsideSupply {
  readonly communeCode: string;
  readonly gpFte: number;
}

export interface AssembledSupply {
  readonly points: SupplyPoint[];
  /** Outside supply in communes without a known position: it cannot be placed, and is reported. */
  readonly unplaced: OutsideSupply[];
}

export const OUTSIDE_PREFIX = 'outside:';

/**
 * The supply points of a computation: the centres with GP FTE, and, when the scope is `all`, the
 * outside GPs of each commune placed at its centroid (as the APL places GPs at their commune).
 */
export function assembleSupply(
  scope: SupplyScope,
  centres: readonly NetworkCentre[],
  outside: readonly OutsideSupply[],
  positionOf: (communeCode: string) => { readonly latitude: number; readonly longitude: number } | undefined,
): AssembledSupply {
  const points: SupplyPoint[] = centres
    .filter((centre) => centre.gpFte > 0)
    .map((centre) => ({ id: centre.finess, latitude: centre.latitude, longitude: centre.longitude, fte: centre.gpFte }));
  const unplaced: OutsideSupply[] = [];
  if (scope === 'all') {
    for (const entry of outside) {
      if (entry.gpFte <= 0) continue;
      const position = positionOf(entry.communeCode);
      if (position === undefined) unplaced.push(entry);
      else points.push({ id: `${OUTSIDE_PREFIX}${entry.communeCode}`, latitude: position.latitude, longitude: position.longitude, fte: entry.gpFte });
    }
  }
  return { points, unplaced };
}
