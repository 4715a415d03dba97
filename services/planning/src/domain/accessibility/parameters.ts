import type { FieldViolation } from '@pcn/eventsourcing';

/** One distance-decay zone: a commune reached in at most `upToMinutes` counts with `weight`. */
export interface DecayZone {
  readonly upToMinutes: number;
  /** In (0, 1]; zones further away never weigh more than nearer ones. */
  readonly weight: number;
}

/** Whose GPs count as supply: the network's centres only, or also the GPs practising outside it. */
export type SupplyScope = 'network' | 'all';

/** Everything a computation depends on besides its inputs: stored with each result. */
export interface AccessibilityParameters {
  /** Speed converting great-circle kilometres to minutes (a straight line, so below road speeds). */
  readonly speedKmh: number;
  /** Zones in increasing `upToMinutes`; beyond the last one a commune is out of reach. */
  readonly zones: readonly DecayZone[];
  /** A commune is underserved below this accessibility, in GP FTE per 100,000 inhabitants. */
  readonly underservedBelow: number;
  readonly supplyScope: SupplyScope;
}

/**
 * Defaults modelled on the DREES APL indicator for general practitioners (accessibilité potentielle
 * localisée, DREES and IRDES, method revised in 2015): reach of 20 minutes, full weight under 10
 * minutes, then 0.66 and 0.33 by five-minute bands. Accessibility is expressed, as in the APL, in
 * FTE per 100,000 inhabitants. The underserved line is the APL's 2.5 consultations a year per
 * inhabitant at 5,400 consultations per FTE (2.5 × 100,000 ÷ 5,400 ≈ 46.3 FTE per 100,000).
 * 45 km/h on the straight line stands for about 60 km/h on roads that are a third longer.
 * See docs/planning.md and ADR 0027; the APL also weights demand by age, which this does not.
 */
export const APL_DEFAULTS: AccessibilityParameters = Object.freeze({
  speedKmh: 45,
  zones: Object.freeze([
    Object.freeze({ upToMinutes: 10, weight: 1 }),
    Object.freeze({ upToMinutes: 15, weight: 0.66 }),
    Object.freeze({ upToMinutes: 20, weight: 0.33 }),
  ]),
  underservedBelow: 46.3,
  supplyScope: 'all',
});

/** Per 100,000 inhabitants, the unit of the APL. */
export const PER_INHABITANTS = 100_000;

const MAX_SPEED_KMH = 200;
const MAX_MINUTES = 180;
const MAX_ZONES = 12;

/** Every reason the parameters cannot be used, each on its field; empty when they can. */
export function parameterViolations(parameters: AccessibilityParameters): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const { speedKmh, zones, underservedBelow, supplyScope } = parameters;
  if (!(Number.isFinite(speedKmh) && speedKmh > 0 && speedKmh <= MAX_SPEED_KMH)) {
    violations.push({ field: 'speedKmh', description: `must be a speed in km/h above 0 and at most ${MAX_SPEED_KMH}, got ${speedKmh}` });
  }
  if (zones.length === 0 || zones.length > MAX_ZONES) {
    violations.push({ field: 'zones', description: `must hold 1 to ${MAX_ZONES} zones, got ${zones.length}` });
  }
  zones.forEach((zone, i) => {
    const previous = zones[i - 1];
    if (!(Number.isFinite(zone.upToMinutes) && zone.upToMinutes > 0 && zone.upToMinutes <= MAX_MINUTES)) {
      violations.push({ field: `zones[${i}].upToMinutes`, description: `must be above 0 and at most ${MAX_MINUTES} minutes, got ${zone.upToMinutes}` });
    } else if (previous !== undefined && !(zone.upToMinutes > previous.upToMinutes)) {
      violations.push({
        field: `zones[${i}].upToMinutes`,
        description: `must be above the previous zone's ${previous.upToMinutes} minutes, got ${zone.upToMinutes}`,
      });
    }
    if (!(Number.isFinite(zone.weight) && zone.weight > 0 && zone.weight <= 1)) {
      violations.push({ field: `zones[${i}].weight`, description: `must be above 0 and at most 1, got ${zone.weight}` });
    } else if (previous !== undefined && zone.weight > previous.weight) {
      violations.push({ field: `zones[${i}].weight`, description: `must not exceed the nearer zone's weight ${previous.weight}, got ${zone.weight}` });
    }
  });
  if (!(Number.isFinite(underservedBelow) && underservedBelow >= 0)) {
    violations.push({ field: 'underservedBelow', description: `must be a number of FTE per 100,000 inhabitants ≥ 0, got ${underservedBelow}` });
  }
  if (supplyScope !== 'network' && supplyScope !== 'all') {
    violations.push({ field: 'supplyScope', description: `must be "network" or "all", got "${String(supplyScope)}"` });
  }
  return violations;
}

/** Farthest reach in kilometres: the last zone's minutes at the speed. */
export function reachKm(parameters: AccessibilityParameters): number {
  const last = parameters.zones[parameters.zones.length - 1];
  return last === undefined ? 0 : (last.upToMinutes * parameters.speedKmh) / 60;
}

/** Each zone's outer limit in kilometres at the speed, nearest first. */
export function zoneLimitsKm(parameters: AccessibilityParameters): Float64Array {
  return Float64Array.from(parameters.zones, (zone) => (zone.upToMinutes * parameters.speedKmh) / 60);
}

/**
 * Weight of a commune `distanceKm` away: that of the first zone whose limit the travel time does
 * not exceed (a limit is inclusive), 0 beyond the last.
 */
export function decayWeight(parameters: AccessibilityParameters, distanceKm: number): number {
  return weightWithin(zoneLimitsKm(parameters), parameters.zones, distanceKm);
}

/** {@link decayWeight} with the limits computed once, for the hot loop. */
export function weightWithin(limitsKm: Float64Array, zones: readonly DecayZone[], distanceKm: number): number {
  for (let z = 0; z < limitsKm.length; z++) if (distanceKm <= limitsKm[z]!) return zones[z]!.weight;
  return 0;
}
