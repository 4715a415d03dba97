import type { IsoDate } from '../iso-date';

export const CENTRE_STATUSES = ['candidate', 'member', 'suspended', 'closed'] as const;
export type CentreStatus = (typeof CENTRE_STATUSES)[number];

/** What the registry's last message said of a centre's lifecycle (pcn.registry.v1 snapshot). */
export interface CentreLifecycle {
  /** The status on the day of that message. */
  readonly status: CentreStatus;
  /** First day of membership (the accreditation date), possibly later than the message. */
  readonly memberSince?: IsoDate;
  /** First day closed, once a closure is announced. */
  readonly closedOn?: IsoDate;
}

/**
 * The status of a centre on a day, from the dates the registry announced: membership starts on
 * the accreditation date (a centre accredited in advance is a candidate until then, and a
 * declaration dated before it is not at a member), a closure takes effect on its date. A
 * suspension is the registry's current word and holds whatever the day. A message from before
 * the registry published `member_since` carries none: its status is taken as it is.
 */
export function centreStatusOn(centre: CentreLifecycle, day: IsoDate): CentreStatus {
  if (centre.closedOn !== undefined && centre.closedOn <= day) return 'closed';
  if (centre.status === 'suspended') return 'suspended';
  if (centre.memberSince !== undefined) return centre.memberSince <= day ? 'member' : 'candidate';
  // No membership date known: a closing centre was a member until then, as attribution always read it.
  return centre.status === 'closed' ? 'member' : centre.status;
}
