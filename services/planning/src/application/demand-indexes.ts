import { degreesToRadians, EARTH_RADIUS_KM } from '@pcn/referential';
import type { DemandIndex, DemandPoint } from '../domain/accessibility';

/** Cell edge of the grid: 0.1° (≈ 11 km north-south), near the 15 km reach of the APL defaults. */
export const DEFAULT_GRID_CELL_DEGREES = 0.1;

const PADDING_DEGREES = 1e-9;

/**
 * Points as unit vectors: a candidate is tested on its squared chord (three products, no
 * trigonometry), and only one within reach gets its great-circle distance, 2R·asin(chord / 2),
 * the same distance as the referential's haversine to far below a metre.
 */
interface Prepared {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
}

function prepare(demand: readonly DemandPoint[]): Prepared {
  const x = new Float64Array(demand.length);
  const y = new Float64Array(demand.length);
  const z = new Float64Array(demand.length);
  demand.forEach((point, i) => {
    const lat = degreesToRadians(point.latitude);
    const lon = degreesToRadians(point.longitude);
    x[i] = Math.cos(lat) * Math.cos(lon);
    y[i] = Math.cos(lat) * Math.sin(lon);
    z[i] = Math.sin(lat);
  });
  return { x, y, z };
}

/** The test of one point against a catchment circle: `visit(i, km)` when point i is within reach. */
function scan(points: Prepared, latitude: number, longitude: number, radiusKm: number): (i: number, visit: (i: number, km: number) => void) => void {
  const lat = degreesToRadians(latitude);
  const lon = degreesToRadians(longitude);
  const cx = Math.cos(lat) * Math.cos(lon);
  const cy = Math.cos(lat) * Math.sin(lon);
  const cz = Math.sin(lat);
  const half = Math.min(Math.PI, radiusKm / EARTH_RADIUS_KM) / 2;
  // Squared chord of the radius, a hair wider so that rounding never drops a point on the circle;
  // the distance test below stays exact.
  const maxChord2 = (2 * Math.sin(half)) ** 2 * (1 + 1e-12) + 1e-24;
  const { x, y, z } = points;
  return (i, visit) => {
    const dx = x[i]! - cx;
    const dy = y[i]! - cy;
    const dz = z[i]! - cz;
    const chord2 = dx * dx + dy * dy + dz * dz;
    if (chord2 > maxChord2) return;
    const distanceKm = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(chord2) / 2));
    if (distanceKm <= radiusKm) visit(i, distanceKm);
  };
}

/**
 * A fixed latitude/longitude grid over the bounding box of the demand points, stored flat (points
 * sorted by cell, one start offset per cell): a query visits only the cells overlapping the
 * catchment circle's bounding box, with no allocation. ADR 0027 says why it is not kdbush.
 */
export function gridDemandIndex(demand: readonly DemandPoint[], cellDegrees = DEFAULT_GRID_CELL_DEGREES): DemandIndex {
  const points = prepare(demand);
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const point of demand) {
    minLat = Math.min(minLat, point.latitude);
    maxLat = Math.max(maxLat, point.latitude);
    minLon = Math.min(minLon, point.longitude);
    maxLon = Math.max(maxLon, point.longitude);
  }
  const rows = demand.length === 0 ? 0 : Math.floor((maxLat - minLat) / cellDegrees) + 1;
  const columns = demand.length === 0 ? 0 : Math.floor((maxLon - minLon) / cellDegrees) + 1;
  const cellOf = (i: number): number =>
    Math.floor((demand[i]!.latitude - minLat) / cellDegrees) * columns + Math.floor((demand[i]!.longitude - minLon) / cellDegrees);

  // Counting sort of the points by cell.
  const starts = new Int32Array(rows * columns + 1);
  for (let i = 0; i < demand.length; i++) starts[cellOf(i) + 1]!++;
  for (let c = 0; c < rows * columns; c++) starts[c + 1]! += starts[c]!;
  const order = new Int32Array(demand.length);
  const fill = starts.slice(0, rows * columns);
  for (let i = 0; i < demand.length; i++) order[fill[cellOf(i)]!++] = i;

  return {
    forEachWithin(latitude, longitude, radiusKm, visit) {
      if (demand.length === 0) return;
      const angular = radiusKm / EARTH_RADIUS_KM;
      const radiusDegrees = (angular * 180) / Math.PI + PADDING_DEGREES;
      const ratio = Math.sin(angular) / Math.cos(degreesToRadians(latitude));
      // Whole rows when the circle reaches a pole (never in France, kept exact anyway).
      const lonHalfWidth =
        latitude - radiusDegrees > -90 && latitude + radiusDegrees < 90 && ratio < 1 ? (Math.asin(ratio) * 180) / Math.PI + PADDING_DEGREES : 360;
      const firstRow = Math.max(0, Math.floor((latitude - radiusDegrees - minLat) / cellDegrees));
      const lastRow = Math.min(rows - 1, Math.floor((latitude + radiusDegrees - minLat) / cellDegrees));
      const firstColumn = Math.max(0, Math.floor((longitude - lonHalfWidth - minLon) / cellDegrees));
      const lastColumn = Math.min(columns - 1, Math.floor((longitude + lonHalfWidth - minLon) / cellDegrees));
      const test = scan(points, latitude, longitude, radiusKm);
      for (let row = firstRow; row <= lastRow; row++) {
        const end = starts[row * columns + lastColumn + 1]!;
        for (let k = starts[row * columns + firstColumn]!; k < end; k++) test(order[k]!, visit);
      }
    },
  };
}

/** The baseline: every demand point compared with the position (all pairs), with the same test and distance. */
export function allPairsDemandIndex(demand: readonly DemandPoint[]): DemandIndex {
  const points = prepare(demand);
  return {
    forEachWithin(latitude, longitude, radiusKm, visit) {
      const test = scan(points, latitude, longitude, radiusKm);
      for (let i = 0; i < demand.length; i++) test(i, visit);
    },
  };
}
