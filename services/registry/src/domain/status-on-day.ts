import type { CentreStatus } from './centre';
import type { CentreEvent } from './events';

/** A centre event and the day (YYYY-MM-DD) it was recorded, which dates the facts that carry no date of their own. */
export interface DatedCentreEvent {
  readonly event: CentreEvent;
  readonly recordedOn: string;
}

/** The centre's status on a business day, and why it is suspended when it is. */
export interface DayStatus {
  readonly status: CentreStatus;
  readonly suspensionReason?: string;
}

interface Timeline {
  readonly registeredOn?: string;
  readonly accreditedOn?: string;
  readonly suspensions: readonly { readonly from: string; readonly until?: string; readonly reason: string }[];
  readonly closedFrom?: string;
}

function timelineOf(history: readonly DatedCentreEvent[]): Timeline {
  let timeline: Timeline = { suspensions: [] };
  for (const { event, recordedOn } of history) {
    switch (event.type) {
      case 'CentreRegistered':
        timeline = { ...timeline, registeredOn: recordedOn };
        break;
      case 'CentreAccredited':
        timeline = { ...timeline, accreditedOn: event.data.accreditedOn };
        break;
      case 'CentreSuspended':
        timeline = { ...timeline, suspensions: [...timeline.suspensions, { from: recordedOn, reason: event.data.reason }] };
        break;
      case 'CentreReinstated':
        timeline = { ...timeline, suspensions: timeline.suspensions.map((s) => (s.until === undefined ? { ...s, until: recordedOn } : s)) };
        break;
      case 'CentreClosed':
        timeline = { ...timeline, closedFrom: event.data.effectiveDate };
        break;
      case 'CentreAmended':
        break;
    }
  }
  return timeline;
}

/**
 * The status a centre had (or will have) on a business day, as its whole history tells it today:
 * the accreditation counts from its accreditation date and the closure from its effective date,
 * even when recorded later or in advance; a suspension runs from the day it was recorded to the
 * day of the reinstatement (excluded), as neither carries a date of its own. Undefined for a day
 * before the centre was registered (or accredited, when the accreditation is dated earlier): the
 * registry has nothing to say of it then.
 */
export function statusOnDay(history: readonly DatedCentreEvent[], day: string): DayStatus | undefined {
  const t = timelineOf(history);
  if (t.registeredOn === undefined) return undefined;
  // An accreditation may be dated before the registration was recorded; it vouches for those days.
  const knownFrom = t.accreditedOn !== undefined && t.accreditedOn < t.registeredOn ? t.accreditedOn : t.registeredOn;
  if (day < knownFrom) return undefined;
  if (t.closedFrom !== undefined && t.closedFrom <= day) return { status: 'closed' };
  const suspension = t.suspensions.find((s) => s.from <= day && (s.until === undefined || day < s.until));
  if (suspension) return { status: 'suspended', suspensionReason: suspension.reason };
  if (t.accreditedOn !== undefined && t.accreditedOn <= day) return { status: 'member' };
  return { status: 'candidate' };
}
