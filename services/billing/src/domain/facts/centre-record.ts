import { ValidationError, type Decider, type DomainEvent } from '@pcn/eventsourcing';
import { isIsoDate, OPEN_END, toEpochDay, type DayRange, type IsoDate } from '../schedule/calendar';

/** What billing has learned about a centre from `pcn.registry.v1`: the days it is a member. */
export const centreRecordStreamId = (finess: string): string => `billing-centre-${finess}`;

export type MembershipStatus = 'member' | 'not_member';

export type CentreRecordCommand = { readonly type: 'LearnMembership'; readonly finess: string; readonly status: MembershipStatus; readonly from: IsoDate };
export type CentreRecordEvent = DomainEvent<'CentreMembershipLearned', { readonly finess: string; readonly status: MembershipStatus; readonly from: IsoDate }>;
export interface CentreRecord {
  readonly finess?: string;
  /** Every change learned, in the order learned (a change may be recorded in advance or late). */
  readonly changes: readonly { readonly status: MembershipStatus; readonly from: IsoDate }[];
}

export const centreRecordDecider: Decider<CentreRecordCommand, CentreRecord, CentreRecordEvent> = {
  initialState: () => ({ changes: [] }),
  decide(command, state) {
    if (!isIsoDate(command.from)) throw ValidationError.field('from', `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(command.from)}`);
    if (state.changes.some((c) => c.status === command.status && c.from === command.from)) return [];
    return [{ type: 'CentreMembershipLearned', data: { finess: command.finess, status: command.status, from: command.from } }];
  },
  evolve: (state, event) => ({ finess: event.data.finess, changes: [...state.changes, { status: event.data.status, from: event.data.from }] }),
};

/**
 * The membership days: changes by date (for one date, the one learned last wins), each member
 * change opening a range that the next non-member change closes.
 */
export function membershipRanges(record: CentreRecord): DayRange[] {
  const byDay = new Map<IsoDate, MembershipStatus>();
  for (const c of record.changes) byDay.set(c.from, c.status);
  const ranges: DayRange[] = [];
  let open: number | undefined;
  for (const [day, status] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (status === 'member' && open === undefined) open = toEpochDay(day);
    if (status === 'not_member' && open !== undefined) {
      ranges.push({ start: open, end: toEpochDay(day) });
      open = undefined;
    }
  }
  if (open !== undefined) ranges.push({ start: open, end: OPEN_END });
  return ranges;
}
