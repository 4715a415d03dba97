/** Levels of the administrative hierarchy, from the smallest. */
export const TERRITORY_LEVELS = ['commune', 'epci', 'departement', 'region', 'nation'] as const;
export type TerritoryLevel = (typeof TERRITORY_LEVELS)[number];

export interface TerritoryRef {
  readonly level: TerritoryLevel;
  /** INSEE code (commune, département, région), SIREN (EPCI), or `FR` for the nation. */
  readonly code: string;
}

export const NATION_CODE = 'FR';

/** A place of the reference data: a commune, or an arrondissement of Paris, Lyon or Marseille. */
export interface Place {
  readonly code: string;
  readonly name: string;
  readonly departement: string;
  readonly region: string;
  /** For an arrondissement: its commune (75056, 69123, 13055), whose EPCI it belongs to. */
  readonly parent?: string;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly population: number;
  /** Unemployed and active people aged 15–64 (census), for the unemployment rate. */
  readonly unemployed: number;
  readonly active: number;
}

export interface Territory extends TerritoryRef {
  readonly name: string;
  /** The territories directly containing this one (an EPCI and a département for a commune). */
  readonly within: readonly TerritoryRef[];
  /** The places (communes and arrondissements) it is made of; itself for a place. */
  readonly places: readonly string[];
  readonly population: number;
  readonly unemployed: number;
  readonly active: number;
}

/** Unemployed among the active population aged 15–64, or undefined where nobody is active. */
export function unemploymentRate(territory: Pick<Territory, 'unemployed' | 'active'>): number | undefined {
  return territory.active > 0 ? territory.unemployed / territory.active : undefined;
}

export const sameTerritory = (a: TerritoryRef, b: TerritoryRef): boolean => a.level === b.level && a.code === b.code;
