import type { IsoDate } from '@pcn/time';

export { systemClock, today, type Clock } from '@pcn/time';

/** Validates and normalises an identifier; `reason` is a sentence a user can act on. */
export type IdentifierCheck = (raw: string) => { ok: true; value: string } | { ok: false; reason: string };

export const CENTRE_STATUSES = ['candidate', 'member', 'suspended', 'closed'] as const;
export type CentreStatus = (typeof CENTRE_STATUSES)[number];

/**
 * What staff knows of a centre: learnt from the registry's events (`pcn.registry.v1`), never by
 * reading the registry's store.
 */
export interface CentreInfo {
  readonly finess: string;
  readonly name: string;
  readonly departement: string;
  readonly region: string;
  readonly status: CentreStatus;
  /** The first day the centre is closed, once a closure is announced. */
  readonly closedOn?: IsoDate;
}

export interface CentreDirectory {
  get(finess: string): Promise<CentreInfo | undefined>;
}
