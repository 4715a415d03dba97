import type { IsoDate } from '../iso-date';
import { byPriority, type WaitingPatient } from './priority';

/** WGS-84 degrees. */
export interface Coordinates {
  readonly latitude: number;
  readonly longitude: number;
}

/** Great-circle distance in km: the application passes the reference library's. */
export type DistanceKm = (from: Coordinates, to: Coordinates) => number;

/** A GP at a member centre with room on their panel. */
export interface OpenSlot {
  readonly rpps: string;
  readonly professionalId: string;
  readonly centreFiness: string;
  readonly location: Coordinates;
  /** Places left on the GP's panel: capacity − panel size − proposals awaiting an answer (the same for each of the GP's centres). */
  readonly spare: number;
}

export interface MatchProposal {
  readonly patientId: string;
  readonly rpps: string;
  readonly professionalId: string;
  readonly centreFiness: string;
  readonly distanceKm: number;
}

export type Unmatched = { readonly patientId: string; readonly reason: 'no_location' | 'no_gp_in_reach' };

export interface MatchResult {
  readonly proposals: readonly MatchProposal[];
  readonly unmatched: readonly Unmatched[];
}

/**
 * Greedy matching in priority order: each patient takes the nearest GP within reach who still
 * has room, ties going to the GP with more room. A slot taken by a patient is gone for the
 * patients after them, so the scarce places near a territory go to the highest priorities.
 */
export function matchWaitlist(
  patients: readonly WaitingPatient[],
  locate: (communeInsee: string) => Coordinates | undefined,
  slots: readonly OpenSlot[],
  maxDistanceKm: number,
  day: IsoDate,
  distanceBetween: DistanceKm,
): MatchResult {
  const spare = new Map(slots.map((s) => [slotKey(s), s.spare]));
  const proposals: MatchProposal[] = [];
  const unmatched: Unmatched[] = [];
  for (const patient of [...patients].sort(byPriority(day))) {
    const home = locate(patient.communeInsee);
    if (!home) {
      unmatched.push({ patientId: patient.patientId, reason: 'no_location' });
      continue;
    }
    let best: { slot: OpenSlot; distanceKm: number } | undefined;
    for (const slot of slots) {
      const left = spare.get(slotKey(slot)) ?? 0;
      if (left <= 0 || patient.declinedRpps?.includes(slot.rpps)) continue;
      const distanceKm = distanceBetween(home, slot.location);
      if (distanceKm > maxDistanceKm) continue;
      if (!best || distanceKm < best.distanceKm || (distanceKm === best.distanceKm && left > (spare.get(slotKey(best.slot)) ?? 0))) best = { slot, distanceKm };
    }
    if (!best) {
      unmatched.push({ patientId: patient.patientId, reason: 'no_gp_in_reach' });
      continue;
    }
    spare.set(slotKey(best.slot), (spare.get(slotKey(best.slot)) ?? 0) - 1);
    proposals.push({
      patientId: patient.patientId,
      rpps: best.slot.rpps,
      professionalId: best.slot.professionalId,
      centreFiness: best.slot.centreFiness,
      distanceKm: Math.round(best.distanceKm * 10) / 10,
    });
  }
  return { proposals, unmatched };
}

/** A GP practising at two centres has one panel: the room is the GP's, whichever centre. */
function slotKey(slot: OpenSlot): string {
  return slot.rpps;
}
