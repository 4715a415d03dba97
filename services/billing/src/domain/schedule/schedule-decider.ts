import { isDeepStrictEqual } from 'node:util';
import { AlreadyExistsError, PreconditionFailedError, type Decider, type DomainEvent } from '@pcn/eventsourcing';
import type { RateSchedule } from './rate-schedule';
import { assertValidSchedule } from './schedule-validation';

/** Every version lives on one stream: publishing is rare and the versions are read together. */
export const RATE_SCHEDULES_STREAM = 'rate-schedules';

export type ScheduleCommand = { readonly type: 'PublishRateSchedule'; readonly schedule: RateSchedule; readonly publishedBy: string };
export type ScheduleEvent = DomainEvent<'RateSchedulePublished', { readonly schedule: RateSchedule; readonly publishedBy: string }>;
export interface ScheduleState {
  readonly versions: readonly RateSchedule[];
}

// Structural: a schedule read back from the store may list its keys in another order.
const sameSchedule = (a: RateSchedule, b: RateSchedule): boolean => isDeepStrictEqual(a, b);

/**
 * A version, once published, is never changed: a correction is a new version. Publishing the same
 * version again with the same content records nothing (a retried request).
 */
export const scheduleDecider: Decider<ScheduleCommand, ScheduleState, ScheduleEvent> = {
  initialState: () => ({ versions: [] }),
  decide({ schedule, publishedBy }, state) {
    assertValidSchedule(schedule);
    const existing = state.versions.find((v) => v.version === schedule.version);
    if (existing !== undefined) {
      if (sameSchedule(existing, schedule)) return [];
      throw new AlreadyExistsError('rate schedule version', schedule.version);
    }
    const sameDay = state.versions.find((v) => v.effectiveFrom === schedule.effectiveFrom);
    if (sameDay !== undefined)
      throw new PreconditionFailedError(`version ${sameDay.version} already takes effect on ${schedule.effectiveFrom}`, [
        {
          type: 'SCHEDULE',
          subject: 'effectiveFrom',
          description: `two versions effective on the same day would make the schedule in force ambiguous; ${sameDay.version} is effective on ${schedule.effectiveFrom}`,
        },
      ]);
    return [{ type: 'RateSchedulePublished', data: { schedule, publishedBy } }];
  },
  evolve: (state, event) => ({ versions: [...state.versions, event.data.schedule] }),
};
