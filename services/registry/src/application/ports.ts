import type { GeoPoint } from '../domain/centre';

/** What the registry needs to know about a commune (the official INSEE list). */
export interface CommuneInfo {
  readonly insee: string;
  readonly name: string;
  readonly departement: string;
  readonly region: string;
  /** Absent for the few communes without a centroid: never guessed as 0,0. */
  readonly coordinates?: GeoPoint;
}

export interface CommuneLookup {
  get(insee: string): CommuneInfo | undefined;
}

/** Validates and normalises an identifier; `reason` is a sentence a user can act on. */
export type IdentifierCheck = (raw: string) => { ok: true; value: string } | { ok: false; reason: string };

export { systemClock, type Clock } from '@pcn/time';
