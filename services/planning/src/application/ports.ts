import type { OutsideSupply } from '../domain/accessibility';

export { systemClock, today, type Clock } from '@pcn/time';

/** A centre of the network as planning learns it from the registry and staff. */
export interface CentreSupply {
  readonly finess: string;
  readonly communeCode: string;
  /** WGS-84 position from the registry; absent: the centroid of the commune is used. */
  readonly latitude?: number;
  readonly longitude?: number;
  /** GP FTE assigned to the centre today (general-practice doctors' assignments). */
  readonly gpFte: number;
}

/**
 * The network as of the messages read so far: the centres with their GP FTE, and the position
 * reached in each consumed log, so that a computation says which inputs it saw.
 */
export interface NetworkSnapshot {
  readonly centres: readonly CentreSupply[];
  /** Topic → position (offset of the last message applied) in that log. */
  readonly positions: Readonly<Record<string, number>>;
}

export interface NetworkSource {
  snapshot(): Promise<NetworkSnapshot>;
}

/** The patients living in a territory, as attribution's events told them, counted on a day. */
export interface PatientCounts {
  /** The day counted (YYYY-MM-DD): attributions and ALD periods are true on a day. */
  readonly asOf: string;
  /** Patients known to attribution living there (erased ones are not counted). */
  readonly patients: number;
  /** With a médecin traitant on that day. */
  readonly withMedecinTraitant: number;
  readonly withoutMedecinTraitant: number;
  /** Chronic patients (an ALD running that day) without a médecin traitant. */
  readonly chronicWithoutMedecinTraitant: number;
}

export interface PatientSource {
  /** The patients living in these places (every place when undefined), counted today. */
  countsIn(places: readonly string[] | undefined): Promise<PatientCounts>;
}

/** The GPs outside the network per commune, as imported by coordinators, with a version that moves on each change. */
export interface OutsideSupplyStore {
  list(): Promise<{ readonly version: number; readonly supply: readonly OutsideSupply[] }>;
  /** Sets the FTE of each commune given (replacing, never adding: importing twice changes nothing); returns how many changed. */
  set(lines: readonly OutsideSupply[]): Promise<{ readonly changed: number; readonly version: number }>;
}

export interface OutsideSupplyMemory extends OutsideSupplyStore {
  readonly size: number;
}

/** Outside supply kept in memory (tests, embedded use before the SQL adapter). */
export function inMemoryOutsideSupply(): OutsideSupplyMemory {
  const byCommune = new Map<string, number>();
  let version = 0;
  return {
    get size() {
      return byCommune.size;
    },
    async list() {
      return { version, supply: [...byCommune].map(([communeCode, gpFte]) => ({ communeCode, gpFte })) };
    },
    async set(lines) {
      let changed = 0;
      for (const { communeCode, gpFte } of lines) {
        if ((byCommune.get(communeCode) ?? 0) === gpFte) continue;
        if (gpFte === 0) byCommune.delete(communeCode);
        else byCommune.set(communeCode, gpFte);
        changed++;
      }
      if (changed > 0) version++;
      return { changed, version };
    },
  };
}
