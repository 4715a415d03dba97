import type { Coordinates } from './coordinates';

/** Mean Earth radius (IUGG R1 = (2a + b) / 3), in kilometres. */
export const EARTH_RADIUS_KM = 6371.0088;

const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * Great-circle distance between two points on a sphere of radius {@link EARTH_RADIUS_KM}, by the
 * haversine formula (numerically stable for small distances). Error against the WGS-84
 * ellipsoid stays under 0.5 %, far below the size of a commune.
 */
export function haversineKm(from: Coordinates, to: Coordinates): number {
  return haversineRadiansKm(
    from.latitude * RADIANS_PER_DEGREE,
    from.longitude * RADIANS_PER_DEGREE,
    to.latitude * RADIANS_PER_DEGREE,
    to.longitude * RADIANS_PER_DEGREE,
  );
}

/** {@link haversineKm} on angles already in radians, for hot loops over precomputed arrays. */
export function haversineRadiansKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const sinHalfLat = Math.sin((lat2 - lat1) / 2);
  const sinHalfLon = Math.sin((lon2 - lon1) / 2);
  const h = sinHalfLat * sinHalfLat + Math.cos(lat1) * Math.cos(lat2) * sinHalfLon * sinHalfLon;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function degreesToRadians(degrees: number): number {
  return degrees * RADIANS_PER_DEGREE;
}
