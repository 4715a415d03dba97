import { CommuneDirectory } from '@pcn/referential';
import type { CommuneProfiles } from '../domain';

/**
 * Unemployment rates from the reference data (2021 census): unemployed / active people aged
 * 15-64, in basis points rounded down, so a poverty class never depends on floating point.
 */
export function communeProfilesFrom(directory: Pick<CommuneDirectory, 'get'> = CommuneDirectory.shared()): CommuneProfiles {
  return (insee) => {
    const commune = directory.get(insee);
    if (commune === undefined || commune.active <= 0) return undefined;
    return { unemploymentBasisPoints: Math.floor((commune.unemployed * 10_000) / commune.active) };
  };
}
