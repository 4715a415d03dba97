import { PER_INHABITANTS, reachKm, weightWithin, zoneLimitsKm, type AccessibilityParameters } from './parameters';
import type { DemandIndex, DemandPoint, SupplyPoint } from './inputs';

export type AccessibilityClass = 'underserved' | 'served';

/** The result of one E2SFCA run, in the order of its demand and supply points. */
export interface AccessibilityResult {
  /** Step 2: accessibility of each demand point, in GP FTE per 100,000 inhabitants. */
  readonly accessibility: Float64Array;
  /** Step 1: each supply point's FTE per weighted inhabitant within reach (0 when nobody is in reach). */
  readonly ratios: Float64Array;
  /** Each supply point's weighted population within reach (the denominator of its ratio). */
  readonly weightedDemand: Float64Array;
  /** Number of (supply, demand) pairs within reach that the computation weighed. */
  readonly pairs: number;
}

/**
 * Enhanced two-step floating catchment area (Luo and Qi, 2009), with stepwise distance-decay
 * weights as in the DREES APL:
 *
 *   step 1, for each supply point j:   R_j = S_j / Σ_k P_k · W(d_kj)
 *   step 2, for each demand point i:   A_i = Σ_j R_j · W(d_ij)   (× 100,000)
 *
 * over the pairs within the last zone's reach only, found through `index`. Pairs found in step 1
 * are kept (demand index and weight) and replayed in step 2 instead of searching again.
 */
export function computeE2sfca(
  demand: readonly DemandPoint[],
  supply: readonly SupplyPoint[],
  parameters: AccessibilityParameters,
  index: DemandIndex,
): AccessibilityResult {
  const radius = reachKm(parameters);
  const limitsKm = zoneLimitsKm(parameters);
  const population = Float64Array.from(demand, (point) => point.population);
  const ratios = new Float64Array(supply.length);
  const weightedDemand = new Float64Array(supply.length);
  const accessibility = new Float64Array(demand.length);
  const offsets = new Int32Array(supply.length + 1);
  let pairDemand = new Int32Array(Math.max(16, supply.length * 64));
  let pairWeight = new Float64Array(pairDemand.length);
  let pairs = 0;

  supply.forEach((point, j) => {
    let weighted = 0;
    index.forEachWithin(point.latitude, point.longitude, radius, (i, distanceKm) => {
      const weight = weightWithin(limitsKm, parameters.zones, distanceKm);
      if (weight === 0) return;
      if (pairs === pairDemand.length) {
        pairDemand = grown(pairDemand, new Int32Array(pairs * 2));
        pairWeight = grown(pairWeight, new Float64Array(pairs * 2));
      }
      pairDemand[pairs] = i;
      pairWeight[pairs++] = weight;
      weighted += population[i]! * weight;
    });
    offsets[j + 1] = pairs;
    weightedDemand[j] = weighted;
    ratios[j] = weighted > 0 ? point.fte / weighted : 0;
  });

  for (let j = 0; j < supply.length; j++) {
    const ratio = ratios[j]!;
    if (ratio === 0) continue;
    for (let p = offsets[j]!; p < offsets[j + 1]!; p++) accessibility[pairDemand[p]!]! += ratio * pairWeight[p]! * PER_INHABITANTS;
  }
  return { accessibility, ratios, weightedDemand, pairs };
}

export function classify(accessibility: number, parameters: Pick<AccessibilityParameters, 'underservedBelow'>): AccessibilityClass {
  return accessibility < parameters.underservedBelow ? 'underserved' : 'served';
}

function grown<A extends Int32Array | Float64Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
