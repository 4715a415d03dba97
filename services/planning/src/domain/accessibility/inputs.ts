/** Where people live: a commune (or arrondissement) centroid and its population. */
export interface DemandPoint {
  readonly code: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly population: number;
}

/** Where GPs practise: a centre of the network, or the GPs outside it in one commune. */
export interface SupplyPoint {
  /** A centre's FINESS, or `outside:<INSEE code>` for the GPs outside the network in a commune. */
  readonly id: string;
  readonly latitude: number;
  readonly longitude: number;
  /** General-practice FTE (1 = one full-time GP). */
  readonly fte: number;
}

/**
 * The spatial index over the demand points, given to the computation so that it never compares
 * all pairs. Implementations must report every point within `radiusKm` (inclusive) of the
 * position, with its great-circle distance; the order does not matter.
 */
export interface DemandIndex {
  forEachWithin(latitude: number, longitude: number, radiusKm: number, visit: (demandIndex: number, distanceKm: number) => void): void;
}
