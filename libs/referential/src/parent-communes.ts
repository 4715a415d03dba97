import type { Commune } from './commune';
import type { Coordinates } from './coordinates';
import type { InseeCode } from './insee-code';

/** "Paris 1er Arrondissement", "Lyon 9e Arrondissement", "Marseille 16e Arrondissement". */
const ARRONDISSEMENT_NAME = /^(.+?)\s+\d+(?:er|e)\s+arrondissement$/iu;

/**
 * Builds the communes that the data file only describes through their municipal arrondissements
 * (Paris 75056, Marseille 13055, Lyon 69123): counts and areas are summed, the centroid is the
 * area-weighted mean of the arrondissement centroids (the centroid of their union, to within the
 * flat-earth approximation at city scale), the name is the arrondissements' common name.
 *
 * Communes that are already rows of the file are left alone.
 */
export function deriveParentCommunes(places: readonly Commune[]): Commune[] {
  const present = new Set(places.map((place) => place.insee));
  const byParent = new Map<InseeCode, Commune[]>();
  for (const place of places) {
    if (place.kind !== 'arrondissement' || place.parent === undefined || present.has(place.parent)) continue;
    const members = byParent.get(place.parent);
    if (members === undefined) byParent.set(place.parent, [place]);
    else members.push(place);
  }

  const parents: Commune[] = [];
  for (const [insee, arrondissements] of byParent) {
    const first = arrondissements[0]!;
    const name = commonName(insee, arrondissements);
    for (const member of arrondissements) {
      if (member.departement !== first.departement || member.region !== first.region) {
        throw new Error(`Arrondissements of ${insee} lie in different départements or régions (${member.insee})`);
      }
    }
    const coordinates = areaWeightedCentroid(arrondissements);
    parents.push(
      Object.freeze({
        insee,
        kind: 'commune' as const,
        name,
        departement: first.departement,
        region: first.region,
        ...(coordinates === undefined ? {} : { coordinates }),
        ...(arrondissements.every((a) => a.areaKm2 !== undefined)
          ? {
              areaKm2: roundTo(
                sum(arrondissements, (a) => a.areaKm2!),
                2,
              ),
            }
          : {}),
        population: sum(arrondissements, (a) => a.population),
        unemployed: sum(arrondissements, (a) => a.unemployed),
        active: sum(arrondissements, (a) => a.active),
        arrondissements: Object.freeze(arrondissements.map((a) => a.insee)),
      }),
    );
  }
  return parents;
}

function commonName(insee: InseeCode, arrondissements: readonly Commune[]): string {
  const names = new Set(arrondissements.map((a) => ARRONDISSEMENT_NAME.exec(a.name)?.[1]));
  const [name] = names;
  if (names.size !== 1 || name === undefined) {
    throw new Error(`Cannot name commune ${insee} from its arrondissements: ${arrondissements.map((a) => a.name).join(', ')}`);
  }
  return name;
}

function areaWeightedCentroid(arrondissements: readonly Commune[]): Coordinates | undefined {
  let weight = 0;
  let latitude = 0;
  let longitude = 0;
  for (const { coordinates, areaKm2 } of arrondissements) {
    if (coordinates === undefined || areaKm2 === undefined) continue;
    weight += areaKm2;
    latitude += coordinates.latitude * areaKm2;
    longitude += coordinates.longitude * areaKm2;
  }
  if (weight === 0) return undefined;
  return Object.freeze({ latitude: roundTo(latitude / weight, 5), longitude: roundTo(longitude / weight, 5) });
}

function sum(items: readonly Commune[], value: (item: Commune) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
