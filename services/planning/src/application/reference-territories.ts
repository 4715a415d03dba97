import epciData from '@etalab/decoupage-administratif/data/epci.json';
import { CommuneDirectory, listDepartements, listRegions } from '@pcn/referential';
import { TerritoryCatalogue, type EpciSource, type Place } from '../domain/territory';
import type { DemandPoint } from '../domain/accessibility';

interface EpciEntry {
  readonly code: string;
  readonly nom: string;
  readonly membres: readonly { readonly code: string }[];
}

/** The EPCIs of @etalab/decoupage-administratif 4.x (COG 2024, the vintage of the communes file). */
export function referenceEpcis(): EpciSource[] {
  return (epciData as readonly EpciEntry[]).map((epci) => ({ siren: epci.code, name: epci.nom, members: epci.membres.map((member) => member.code) }));
}

/** The places of the commune directory (communes and the arrondissements of Paris, Lyon, Marseille). */
export function referencePlaces(directory: CommuneDirectory = CommuneDirectory.shared()): Place[] {
  return directory.all().map((commune) => ({
    code: commune.insee,
    name: commune.name,
    departement: commune.departement,
    region: commune.region,
    ...(commune.parent !== undefined && { parent: commune.parent }),
    ...(commune.coordinates !== undefined && { latitude: commune.coordinates.latitude, longitude: commune.coordinates.longitude }),
    population: commune.population,
    unemployed: commune.unemployed,
    active: commune.active,
  }));
}

/** The catalogue of territories over the reference data shipped with the code. */
export function referenceCatalogue(places: readonly Place[] = referencePlaces()): TerritoryCatalogue {
  return new TerritoryCatalogue({
    places,
    epcis: referenceEpcis(),
    departements: listDepartements().map(({ code, name }) => ({ code, name })),
    regions: listRegions().map(({ code, name }) => ({ code, name })),
  });
}

/** The demand of a computation: the positioned places, with their population. */
export function demandPoints(places: readonly Place[]): DemandPoint[] {
  const points: DemandPoint[] = [];
  for (const place of places) {
    if (place.latitude === undefined || place.longitude === undefined) continue;
    points.push({ code: place.code, latitude: place.latitude, longitude: place.longitude, population: place.population });
  }
  return points;
}
