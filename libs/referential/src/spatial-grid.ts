import { type Coordinates, isValidCoordinates } from './coordinates';
import { EARTH_RADIUS_KM, degreesToRadians, haversineRadiansKm } from './haversine';

export interface Neighbour<T> {
  readonly item: T;
  readonly distanceKm: number;
}

/** Default cell edge: 0.1° (≈ 11 km north-south, ≈ 7.5 km east-west in metropolitan France). */
export const DEFAULT_CELL_SIZE_DEGREES = 0.1;

const EDGE_PADDING_DEGREES = 1e-9;

/**
 * Fixed grid of latitude/longitude cells, built once, for radius queries over points on the globe.
 *
 * A query visits only the cells overlapping the bounding box of the search circle (exact on the
 * sphere, including the widening in longitude towards the poles and wrap-around at ±180°), then
 * keeps the points whose haversine distance is within the radius. Items without a position are
 * not indexed and are never returned.
 */
export class SpatialGrid<T> {
  private readonly items: T[] = [];
  private readonly latitudes: number[] = [];
  private readonly longitudes: number[] = [];
  private readonly cells = new Map<number, number[]>();
  private readonly latCells: number;
  private readonly lonCells: number;

  constructor(
    items: Iterable<T>,
    position: (item: T) => Coordinates | undefined,
    private readonly cellSizeDegrees: number = DEFAULT_CELL_SIZE_DEGREES,
  ) {
    if (!(cellSizeDegrees > 0 && cellSizeDegrees <= 90)) {
      throw new RangeError(`Grid cell size must be in (0, 90] degrees, got ${cellSizeDegrees}`);
    }
    this.latCells = Math.ceil(180 / cellSizeDegrees);
    this.lonCells = Math.ceil(360 / cellSizeDegrees);
    for (const item of items) {
      const point = position(item);
      if (point === undefined) continue;
      if (!isValidCoordinates(point)) {
        throw new RangeError(`Cannot index a point outside the globe: ${point.latitude}, ${point.longitude}`);
      }
      const index = this.items.length;
      this.items.push(item);
      this.latitudes.push(degreesToRadians(point.latitude));
      this.longitudes.push(degreesToRadians(point.longitude));
      const key = this.cellKey(this.latIndex(point.latitude), this.lonIndex(point.longitude));
      const cell = this.cells.get(key);
      if (cell === undefined) this.cells.set(key, [index]);
      else cell.push(index);
    }
  }

  /** Number of indexed (positioned) items. */
  get size(): number {
    return this.items.length;
  }

  /** Items within `radiusKm` (inclusive) of `center`, nearest first. */
  within(center: Coordinates, radiusKm: number): Neighbour<T>[] {
    return this.search(center, radiusKm, (item, distanceKm) => ({ item, distanceKm }));
  }

  /**
   * Same search as {@link within}, building each result with `make` (saves a copy when the caller
   * wants its own result shape). Ties in distance keep the grid's visiting order.
   */
  search<R extends { readonly distanceKm: number }>(center: Coordinates, radiusKm: number, make: (item: T, distanceKm: number) => R): R[] {
    if (!isValidCoordinates(center)) {
      throw new RangeError(`Search centre must be a valid WGS-84 position, got ${center.latitude}, ${center.longitude}`);
    }
    if (!(Number.isFinite(radiusKm) && radiusKm >= 0)) {
      throw new RangeError(`Search radius must be a finite number of kilometres ≥ 0, got ${radiusKm}`);
    }
    const angularRadius = radiusKm / EARTH_RADIUS_KM;
    // A hair of padding so that float rounding at a cell edge can never drop a point lying exactly
    // on the circle; the haversine test below stays exact.
    const radiusDegrees = (angularRadius * 180) / Math.PI + EDGE_PADDING_DEGREES;
    const latMin = center.latitude - radiusDegrees;
    const latMax = center.latitude + radiusDegrees;

    // Longitude half-width of the circle's bounding box; the whole circle of latitude when the
    // circle reaches a pole.
    let lonHalfWidth = 180;
    if (latMin > -90 && latMax < 90) {
      const ratio = Math.sin(angularRadius) / Math.cos(degreesToRadians(center.latitude));
      if (ratio < 1) lonHalfWidth = (Math.asin(ratio) * 180) / Math.PI + EDGE_PADDING_DEGREES;
    }

    const firstLat = this.latIndex(Math.max(-90, latMin));
    const lastLat = this.latIndex(Math.min(90, latMax));
    const lonRanges = this.lonIndexRanges(center.longitude, lonHalfWidth);

    const centerLat = degreesToRadians(center.latitude);
    const centerLon = degreesToRadians(center.longitude);
    const found: R[] = [];
    for (let latIndex = firstLat; latIndex <= lastLat; latIndex++) {
      for (const [firstLon, lastLon] of lonRanges) {
        for (let lonIndex = firstLon; lonIndex <= lastLon; lonIndex++) {
          const cell = this.cells.get(this.cellKey(latIndex, lonIndex));
          if (cell === undefined) continue;
          for (const index of cell) {
            const distanceKm = haversineRadiansKm(centerLat, centerLon, this.latitudes[index]!, this.longitudes[index]!);
            if (distanceKm <= radiusKm) found.push(make(this.items[index]!, distanceKm));
          }
        }
      }
    }
    return found.sort((a, b) => a.distanceKm - b.distanceKm);
  }

  private latIndex(latitude: number): number {
    return Math.min(this.latCells - 1, Math.floor((latitude + 90) / this.cellSizeDegrees));
  }

  private lonIndex(longitude: number): number {
    return Math.min(this.lonCells - 1, Math.floor((longitude + 180) / this.cellSizeDegrees));
  }

  /** Cell index ranges covering [center − halfWidth, center + halfWidth], split where it crosses ±180°. */
  private lonIndexRanges(center: number, halfWidth: number): (readonly [number, number])[] {
    if (halfWidth >= 180) return [[0, this.lonCells - 1]];
    const west = center - halfWidth;
    const east = center + halfWidth;
    if (west < -180) {
      return [
        [this.lonIndex(west + 360), this.lonCells - 1],
        [0, this.lonIndex(east)],
      ];
    }
    if (east > 180) {
      return [
        [this.lonIndex(west), this.lonCells - 1],
        [0, this.lonIndex(east - 360)],
      ];
    }
    return [[this.lonIndex(west), this.lonIndex(east)]];
  }

  private cellKey(latIndex: number, lonIndex: number): number {
    return latIndex * this.lonCells + lonIndex;
  }
}
