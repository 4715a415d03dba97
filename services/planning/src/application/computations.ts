import type { AccessibilityParameters, CommuneAccessibility, OutsideSupply, SupplyPoint } from '../domain/accessibility';

/** What a computation read, so that anyone can recompute it from the same inputs. */
export interface ComputationInputs {
  /** Topic → position of the last message applied, in each consumed log. */
  readonly positions: Readonly<Record<string, number>>;
  /** Version of the imported outside supply. */
  readonly outsideSupplyVersion: number;
  /** The reference data of the demand. */
  readonly referenceData: string;
  readonly centres: number;
  readonly outsideCommunes: number;
  /** Centres and outside supply that could not be placed (no position, unknown commune): left out, said here. */
  readonly unplaced: readonly string[];
}

/** One stored computation: its parameters, inputs, the supply it used and the result for every positioned place. */
export interface ComputationRecord {
  readonly computationId: string;
  readonly computedAt: string;
  readonly parameters: AccessibilityParameters;
  readonly inputs: ComputationInputs;
  /** The supply points as computed on (centres, then outside GPs at their commune). */
  readonly supply: readonly SupplyPoint[];
  /** Every positioned place, in reference-data order. */
  readonly communes: readonly CommuneAccessibility[];
  readonly underservedCommunes: number;
  readonly underservedPopulation: number;
}

export interface ComputationStore {
  save(record: ComputationRecord): Promise<void>;
  get(computationId: string): Promise<ComputationRecord | undefined>;
}

/** Computations kept in memory, the most recent `capacity` of them (each holds ~35,000 results). */
export function inMemoryComputations(capacity = 20): ComputationStore {
  const records = new Map<string, ComputationRecord>();
  return {
    async save(record) {
      records.set(record.computationId, record);
      while (records.size > capacity) records.delete(records.keys().next().value!);
    },
    async get(computationId) {
      return records.get(computationId);
    },
  };
}

export type { OutsideSupply };
