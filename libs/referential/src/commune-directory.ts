import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Commune, CommuneDistance } from './commune';
import { parseCommunesCsv } from './communes-csv';
import type { Coordinates } from './coordinates';
import { deriveParentCommunes } from './parent-communes';
import { DEFAULT_CELL_SIZE_DEGREES, SpatialGrid } from './spatial-grid';

/**
 * data/communes.csv of this package. `__dirname` is src/ under jest and dist/ once compiled; both
 * sit one level below the package root, next to data/.
 */
export const DEFAULT_COMMUNES_CSV_PATH = join(__dirname, '..', 'data', 'communes.csv');

export interface CommuneDirectoryOptions {
  /** CSV file to load instead of the packaged data/communes.csv (same columns). */
  readonly csvPath?: string;
  /** Edge of the spatial index cells, in degrees (default 0.1°). */
  readonly cellSizeDegrees?: number;
}

export interface CommuneDirectoryLoadStats {
  readonly source: string;
  readonly rows: number;
  readonly positioned: number;
  readonly loadMs: number;
}

interface Loaded {
  readonly places: readonly Commune[];
  readonly byCode: ReadonlyMap<string, Commune>;
  readonly byDepartement: ReadonlyMap<string, readonly Commune[]>;
  readonly byRegion: ReadonlyMap<string, readonly Commune[]>;
  readonly arrondissementsByParent: ReadonlyMap<string, readonly Commune[]>;
  readonly populationByDepartement: ReadonlyMap<string, number>;
  readonly populationByRegion: ReadonlyMap<string, number>;
  readonly totalPopulation: number;
  readonly grid: SpatialGrid<Commune>;
  readonly stats: CommuneDirectoryLoadStats;
}

const EMPTY: readonly Commune[] = Object.freeze([]);

/**
 * The French communes and municipal arrondissements of data/communes.csv (COG 2024, census 2021):
 * lookups by INSEE code, by département and région, population totals, and radius search.
 *
 * The file lists Paris, Marseille and Lyon only through their arrondissements. The directory
 * keeps those 34,976 rows as its places ({@link all}, {@link byDepartement}, {@link withinRadius}
 * and the population totals never count a person twice), and also answers {@link get} for 75056,
 * 13055 and 69123 with a commune summed from its arrondissements.
 *
 * Nothing is read until the first query; the file is then parsed once for the life of the
 * instance. {@link CommuneDirectory.shared} gives one instance per process.
 */
export class CommuneDirectory {
  private static sharedInstance: CommuneDirectory | undefined;
  private loaded: Loaded | undefined;
  private readonly csvPath: string;
  private readonly cellSizeDegrees: number;

  constructor(options: CommuneDirectoryOptions = {}) {
    this.csvPath = options.csvPath ?? DEFAULT_COMMUNES_CSV_PATH;
    this.cellSizeDegrees = options.cellSizeDegrees ?? DEFAULT_CELL_SIZE_DEGREES;
  }

  /** The process-wide directory over the packaged data file, loaded on first use. */
  static shared(): CommuneDirectory {
    CommuneDirectory.sharedInstance ??= new CommuneDirectory();
    return CommuneDirectory.sharedInstance;
  }

  /** Number of places in the file (communes and arrondissements): 34,976 for the packaged data. */
  get size(): number {
    return this.data().places.length;
  }

  /** How the data was loaded; triggers the load if it has not happened yet. */
  loadStats(): CommuneDirectoryLoadStats {
    return this.data().stats;
  }

  /** The commune or arrondissement with this INSEE code ("2a004" is read as "2A004"). */
  get(insee: string): Commune | undefined {
    const { byCode } = this.data();
    return byCode.get(insee) ?? byCode.get(insee.trim().toUpperCase());
  }

  has(insee: string): boolean {
    return this.get(insee) !== undefined;
  }

  /** Every place of the file, in file order (INSEE code order). */
  all(): readonly Commune[] {
    return this.data().places;
  }

  /** Places of a département ("75" gives the 20 Paris arrondissements). */
  byDepartement(code: string): readonly Commune[] {
    return this.data().byDepartement.get(code.toUpperCase()) ?? EMPTY;
  }

  byRegion(code: string): readonly Commune[] {
    return this.data().byRegion.get(code) ?? EMPTY;
  }

  /** Arrondissements of Paris (75056), Marseille (13055) or Lyon (69123); empty for other communes. */
  arrondissementsOf(insee: string): readonly Commune[] {
    return this.data().arrondissementsByParent.get(insee) ?? EMPTY;
  }

  /** Municipal population of every place, 2021 census. */
  totalPopulation(): number {
    return this.data().totalPopulation;
  }

  departementPopulation(code: string): number {
    return this.data().populationByDepartement.get(code.toUpperCase()) ?? 0;
  }

  regionPopulation(code: string): number {
    return this.data().populationByRegion.get(code) ?? 0;
  }

  /**
   * Places whose centroid lies within `radiusKm` (great-circle, inclusive) of `point`, nearest
   * first. Places without coordinates are never returned. Visits only the grid cells around the
   * point, not the whole file.
   */
  withinRadius(point: Coordinates, radiusKm: number): CommuneDistance[] {
    return this.data().grid.search(point, radiusKm, (commune, distanceKm) => ({ commune, distanceKm }));
  }

  private data(): Loaded {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private load(): Loaded {
    const started = performance.now();
    let text: string;
    try {
      text = readFileSync(this.csvPath, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read the communes file ${this.csvPath}: ${(error as Error).message}`, { cause: error });
    }
    const places = Object.freeze(parseCommunesCsv(text, this.csvPath));
    const parents = deriveParentCommunes(places);

    const byCode = new Map<string, Commune>();
    for (const commune of [...places, ...parents]) byCode.set(commune.insee, commune);

    const byDepartement = groupBy(places, (place) => place.departement);
    const byRegion = groupBy(places, (place) => place.region);
    const arrondissementsByParent = groupBy(
      places.filter((place) => place.parent !== undefined),
      (place) => place.parent!,
    );
    const populationOf = (group: readonly Commune[]) => group.reduce((total, place) => total + place.population, 0);

    const grid = new SpatialGrid(places, (place) => place.coordinates, this.cellSizeDegrees);
    return {
      places,
      byCode,
      byDepartement,
      byRegion,
      arrondissementsByParent,
      populationByDepartement: mapValues(byDepartement, populationOf),
      populationByRegion: mapValues(byRegion, populationOf),
      totalPopulation: populationOf(places),
      grid,
      stats: Object.freeze({
        source: this.csvPath,
        rows: places.length,
        positioned: grid.size,
        loadMs: performance.now() - started,
      }),
    };
  }
}

function groupBy(items: readonly Commune[], key: (item: Commune) => string): Map<string, readonly Commune[]> {
  const groups = new Map<string, Commune[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  for (const group of groups.values()) Object.freeze(group);
  return groups;
}

function mapValues<V>(map: ReadonlyMap<string, readonly Commune[]>, value: (group: readonly Commune[]) => V): Map<string, V> {
  return new Map([...map].map(([key, group]) => [key, value(group)]));
}
