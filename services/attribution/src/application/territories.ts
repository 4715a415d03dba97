import { NotFoundError } from '@pcn/eventsourcing';
import { CommuneDirectory, departementName, regionName, type Coordinates } from '@pcn/referential';
import type { CentreInfo } from './ports';
import type { Territory } from './read-model';

/** The territory's official name; NOT_FOUND for a code the reference data does not know. */
export function territoryName(territory: Territory): string {
  const communes = CommuneDirectory.shared();
  const name =
    territory.kind === 'commune'
      ? communes.get(territory.code)?.name
      : territory.kind === 'departement'
        ? departementName(territory.code)
        : regionName(territory.code);
  if (name === undefined) throw new NotFoundError(territory.kind, territory.code);
  return name;
}

/** Where a commune is: its centroid from the reference data. */
export function communeLocation(insee: string): Coordinates | undefined {
  return CommuneDirectory.shared().get(insee)?.coordinates;
}

/** Where a centre is: the registry's coordinates, else its commune's centroid. */
export function centreLocation(centre: CentreInfo): Coordinates | undefined {
  if (centre.latitude !== undefined && centre.longitude !== undefined) return { latitude: centre.latitude, longitude: centre.longitude };
  return communeLocation(centre.communeInsee);
}
