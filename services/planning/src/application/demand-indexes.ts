import { degreesToRadians, haversineRadiansKm, SpatialGrid } from '@pcn/referential';
import type { DemandIndex, DemandPoint } from '../domain/accessibility';

/**
 * The demand index of production: the referential's latitude/longitude grid (exact on the sphere,
 * ADR 0010), which visits only the cells around the catchment circle.
 */
export function gridDemandIndex(demand: readonly DemandPoint[], cellSizeDegrees = 0.1): DemandIndex {
  const grid = new SpatialGrid(
    demand.map((_, i) => i),
    (i) => demand[i],
    cellSizeDegrees,
  );
  return {
    forEachWithin(latitude, longitude, radiusKm, visit) {
      for (const { item, distanceKm } of grid.within({ latitude, longitude }, radiusKm)) visit(item, distanceKm);
    },
  };
}

/**
 * The baseline: every demand point compared with the position (all pairs), with the same
 * haversine as the grid, so that both find exactly the same pairs and distances.
 */
export function allPairsDemandIndex(demand: readonly DemandPoint[]): DemandIndex {
  const latitudes = Float64Array.from(demand, (point) => degreesToRadians(point.latitude));
  const longitudes = Float64Array.from(demand, (point) => degreesToRadians(point.longitude));
  return {
    forEachWithin(latitude, longitude, radiusKm, visit) {
      const lat = degreesToRadians(latitude);
      const lon = degreesToRadians(longitude);
      for (let i = 0; i < latitudes.length; i++) {
        const distanceKm = haversineRadiansKm(lat, lon, latitudes[i]!, longitudes[i]!);
        if (distanceKm <= radiusKm) visit(i, distanceKm);
      }
    },
  };
}
