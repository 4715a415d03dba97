import departementsData from '@etalab/decoupage-administratif/data/departements.json';
import regionsData from '@etalab/decoupage-administratif/data/regions.json';

/**
 * Names of régions, départements and overseas collectivities, from @etalab/decoupage-administratif
 * 4.x (Code officiel géographique 2024, the vintage of data/communes.csv).
 */

export interface Region {
  /** INSEE code: 01–06 overseas régions, 11–94 metropolitan. */
  readonly code: string;
  readonly name: string;
  /** INSEE code of the commune holding the préfecture de région. */
  readonly chefLieu: string;
}

export interface Departement {
  /** INSEE code: 01–95, 2A, 2B, 971–976. */
  readonly code: string;
  readonly name: string;
  /** INSEE code of its région. */
  readonly region: string;
  /** INSEE code of the commune holding the préfecture. */
  readonly chefLieu: string;
}

/** Overseas collectivities (Saint-Pierre-et-Miquelon, Polynésie française…): neither région nor département. */
export interface OverseasCollectivity {
  readonly code: string;
  readonly name: string;
  readonly chefLieu: string;
}

interface SourceEntry {
  readonly code: string;
  readonly nom: string;
  readonly chefLieu: string;
  readonly zone: string;
  readonly region?: string;
}

const COLLECTIVITY_ZONE = 'com';

const regions: readonly Region[] = Object.freeze(
  (regionsData as readonly SourceEntry[])
    .filter((entry) => entry.zone !== COLLECTIVITY_ZONE)
    .map((entry) => Object.freeze({ code: entry.code, name: entry.nom, chefLieu: entry.chefLieu })),
);

const departements: readonly Departement[] = Object.freeze(
  (departementsData as readonly SourceEntry[])
    .filter((entry) => entry.zone !== COLLECTIVITY_ZONE)
    .map((entry) => Object.freeze({ code: entry.code, name: entry.nom, region: entry.region ?? '', chefLieu: entry.chefLieu })),
);

const collectivities: readonly OverseasCollectivity[] = Object.freeze(
  (departementsData as readonly SourceEntry[])
    .filter((entry) => entry.zone === COLLECTIVITY_ZONE)
    .map((entry) => Object.freeze({ code: entry.code, name: entry.nom, chefLieu: entry.chefLieu })),
);

const regionByCode = new Map(regions.map((region) => [region.code, region]));
const departementByCode = new Map(departements.map((departement) => [departement.code, departement]));
const collectivityByCode = new Map(collectivities.map((collectivity) => [collectivity.code, collectivity]));

/** The 18 régions (13 metropolitan, 5 overseas), in INSEE code order. */
export function listRegions(): readonly Region[] {
  return regions;
}

/** The 101 départements (96 metropolitan, 5 overseas). */
export function listDepartements(): readonly Departement[] {
  return departements;
}

/** The 8 overseas collectivities that have INSEE codes (975, 977, 978, 984, 986–989). */
export function listOverseasCollectivities(): readonly OverseasCollectivity[] {
  return collectivities;
}

export function findRegion(code: string): Region | undefined {
  return regionByCode.get(code);
}

export function findDepartement(code: string): Departement | undefined {
  return departementByCode.get(code);
}

export function findOverseasCollectivity(code: string): OverseasCollectivity | undefined {
  return collectivityByCode.get(code);
}

export function regionName(code: string): string | undefined {
  return regionByCode.get(code)?.name;
}

/** Name of a département, or of an overseas collectivity when given one of their codes. */
export function departementName(code: string): string | undefined {
  return departementByCode.get(code)?.name ?? collectivityByCode.get(code)?.name;
}

export function regionOfDepartement(code: string): string | undefined {
  return departementByCode.get(code)?.region;
}
