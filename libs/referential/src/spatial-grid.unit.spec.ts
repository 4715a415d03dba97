import type { Coordinates } from './coordinates';
import { haversineKm } from './haversine';
import { SpatialGrid } from './spatial-grid';

interface Place {
  readonly id: number;
  readonly at?: Coordinates;
}

/** Small deterministic generator (mulberry32), so that a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bruteForce(places: readonly Place[], center: Coordinates, radiusKm: number): number[] {
  return places
    .filter((place) => place.at !== undefined && haversineKm(center, place.at) <= radiusKm)
    .map((place) => place.id)
    .sort((a, b) => a - b);
}

function ids(grid: SpatialGrid<Place>, center: Coordinates, radiusKm: number): number[] {
  return grid
    .within(center, radiusKm)
    .map((neighbour) => neighbour.item.id)
    .sort((a, b) => a - b);
}

describe('SpatialGrid', () => {
  it('agrees with a brute-force scan on random points over the whole globe', () => {
    const random = seededRandom(42);
    const point = (): Coordinates => ({ latitude: random() * 180 - 90, longitude: random() * 360 - 180 });
    const places: Place[] = Array.from({ length: 2000 }, (_, id) => ({ id, at: point() }));
    for (const cellSizeDegrees of [0.7, 5, 30]) {
      const grid = new SpatialGrid(places, (place) => place.at, cellSizeDegrees);
      for (let query = 0; query < 40; query++) {
        const center = point();
        for (const radiusKm of [0, 100, 800, 3000, 12000]) {
          expect(ids(grid, center, radiusKm)).toEqual(bruteForce(places, center, radiusKm));
        }
      }
    }
  });

  it('finds points across the antimeridian and around a pole', () => {
    const places: Place[] = [
      { id: 1, at: { latitude: 10, longitude: 179.95 } },
      { id: 2, at: { latitude: 10, longitude: -179.95 } },
      { id: 3, at: { latitude: 89.9, longitude: 0 } },
      { id: 4, at: { latitude: 89.9, longitude: 180 } },
      { id: 5, at: { latitude: 89.9, longitude: -90 } },
    ];
    const grid = new SpatialGrid(places, (place) => place.at, 0.1);
    expect(ids(grid, { latitude: 10, longitude: 180 }, 20)).toEqual([1, 2]);
    expect(ids(grid, { latitude: 10, longitude: -180 }, 20)).toEqual([1, 2]);
    expect(ids(grid, { latitude: 90, longitude: 45 }, 15)).toEqual([3, 4, 5]);
  });

  it('returns results nearest first with their distance, the radius being inclusive', () => {
    const places: Place[] = [
      { id: 1, at: { latitude: 0, longitude: 0.2 } },
      { id: 2, at: { latitude: 0, longitude: 0.1 } },
      { id: 3, at: { latitude: 0, longitude: 0 } },
    ];
    const grid = new SpatialGrid(places, (place) => place.at);
    const found = grid.within({ latitude: 0, longitude: 0 }, haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 0.2 }));
    expect(found.map((neighbour) => neighbour.item.id)).toEqual([3, 2, 1]);
    expect(found[0]!.distanceKm).toBe(0);
  });

  it('leaves out items without a position', () => {
    const grid = new SpatialGrid<Place>([{ id: 1 }, { id: 2, at: { latitude: 1, longitude: 1 } }], (place) => place.at);
    expect(grid.size).toBe(1);
    expect(ids(grid, { latitude: 1, longitude: 1 }, 20000)).toEqual([2]);
  });

  it('refuses invalid cells, positions, centres and radii', () => {
    expect(() => new SpatialGrid<Place>([], (place) => place.at, 0)).toThrow(RangeError);
    expect(() => new SpatialGrid<Place>([{ id: 1, at: { latitude: 91, longitude: 0 } }], (place) => place.at)).toThrow(RangeError);
    const grid = new SpatialGrid<Place>([], (place) => place.at);
    expect(() => grid.within({ latitude: Number.NaN, longitude: 0 }, 1)).toThrow(RangeError);
    expect(() => grid.within({ latitude: 0, longitude: 200 }, 1)).toThrow(RangeError);
    expect(() => grid.within({ latitude: 0, longitude: 0 }, -1)).toThrow(RangeError);
    expect(() => grid.within({ latitude: 0, longitude: 0 }, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
