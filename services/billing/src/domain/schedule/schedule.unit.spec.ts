import { deciderSpec } from '@pcn/eventsourcing/testing';
import { AlreadyExistsError } from '@pcn/eventsourcing';
import { DEFAULT_RATE_SCHEDULE } from './default-schedule';
import { divideRoundHalfAwayFromZero, divideRoundHalfAwayFromZeroBig, formatWeight, parseWeight } from './money';
import { scheduleInForce, type RateSchedule } from './rate-schedule';
import { scheduleDecider } from './schedule-decider';
import { maxDailyNumerator, scheduleViolations } from './schedule-validation';

const spec = deciderSpec(scheduleDecider);
const publish = (schedule: RateSchedule) => ({ type: 'PublishRateSchedule' as const, schedule, publishedBy: 'coordinator@national' });
const published = (schedule: RateSchedule) => ({ type: 'RateSchedulePublished' as const, data: { schedule, publishedBy: 'coordinator@national' } });
const next: RateSchedule = { ...DEFAULT_RATE_SCHEDULE, version: 'fmt-2027.1', effectiveFrom: '2027-01-01' };

describe('publishing a rate schedule', () => {
  it('records a valid version', () =>
    spec
      .given([])
      .when(publish(DEFAULT_RATE_SCHEDULE))
      .then([published(DEFAULT_RATE_SCHEDULE)]));

  it('records a later version beside the earlier one', () =>
    spec
      .given([published(DEFAULT_RATE_SCHEDULE)])
      .when(publish(next))
      .then([published(next)]));

  it('records nothing when the same version is published again unchanged (a retried request)', () =>
    spec
      .given([published(DEFAULT_RATE_SCHEDULE)])
      .when(publish(DEFAULT_RATE_SCHEDULE))
      .then([]));

  it('never changes a published version: the same label with other figures is refused', () =>
    spec
      .given([published(DEFAULT_RATE_SCHEDULE)])
      .when(publish({ ...DEFAULT_RATE_SCHEDULE, supplements: { ...DEFAULT_RATE_SCHEDULE.supplements, c2s: 1_100 } }))
      .thenThrows(AlreadyExistsError));

  it('refuses a second version effective on the same day', () =>
    spec
      .given([published(DEFAULT_RATE_SCHEDULE)])
      .when(publish({ ...next, effectiveFrom: '2026-01-01' }))
      .thenThrows({ kind: 'failed_precondition', violations: [expect.objectContaining({ subject: 'effectiveFrom' })] }));

  it('refuses an invalid schedule naming each wrong field', () =>
    spec
      .given([])
      .when(
        publish({
          ...DEFAULT_RATE_SCHEDULE,
          effectiveFrom: '2026-02-30',
          ageBands: [{ code: '0-6', fromAge: 1, withoutAld: 15.5, withAld: 5_500 }],
          territorial: { ...DEFAULT_RATE_SCHEDULE.territorial, underservedWeight: 0, underservedCommunes: ['7511'] },
          missionRates: { ...DEFAULT_RATE_SCHEDULE.missionRates, student_tutoring: -1 },
        }),
      )
      .thenThrows({
        kind: 'invalid_argument',
        violations: [
          expect.objectContaining({ field: 'effectiveFrom' }),
          expect.objectContaining({ field: 'ageBands[0].withoutAld', description: expect.stringContaining('whole number of cents') }),
          expect.objectContaining({ field: 'ageBands[0].fromAge', description: expect.stringContaining('start at age 0') }),
          expect.objectContaining({ field: 'territorial.underservedWeight', description: expect.stringContaining('0.0001 to 10.0000') }),
          expect.objectContaining({ field: 'territorial.underservedCommunes[0]' }),
          expect.objectContaining({ field: 'missionRates.student_tutoring' }),
        ],
      }));
});

describe('schedule validation', () => {
  it('accepts the default schedule, far inside the exactness bound', () => {
    expect(scheduleViolations(DEFAULT_RATE_SCHEDULE)).toEqual([]);
    expect(maxDailyNumerator(DEFAULT_RATE_SCHEDULE) * 366).toBeLessThan(Number.MAX_SAFE_INTEGER / 10);
  });

  it('refuses age bands out of order, duplicated codes and poverty thresholds out of order', () => {
    const fields = scheduleViolations({
      ...DEFAULT_RATE_SCHEDULE,
      ageBands: [DEFAULT_RATE_SCHEDULE.ageBands[0]!, { ...DEFAULT_RATE_SCHEDULE.ageBands[0]!, fromAge: 0 }],
      territorial: {
        ...DEFAULT_RATE_SCHEDULE.territorial,
        povertyClasses: [
          { code: 'a', fromUnemploymentBasisPoints: 0, weight: 10_000 },
          { code: 'b', fromUnemploymentBasisPoints: 0, weight: 10_500 },
        ],
      },
    }).map((v) => v.field);
    expect(fields).toEqual(['ageBands[1].fromAge', 'ageBands[1].code', 'territorial.povertyClasses[1].fromUnemploymentBasisPoints']);
  });

  it('refuses amounts and weights whose numerators would leave exact integer arithmetic', () => {
    const huge = { ...DEFAULT_RATE_SCHEDULE, ageBands: DEFAULT_RATE_SCHEDULE.ageBands.map((b) => ({ ...b, withAld: 9_000_000 })) };
    expect(scheduleViolations(huge)).toEqual([{ field: 'territorial', description: expect.stringContaining('exceeds exact integer arithmetic') }]);
  });

  it('refuses a mission line that is not one of the eight', () =>
    expect(
      scheduleViolations({ ...DEFAULT_RATE_SCHEDULE, missionRates: { ...DEFAULT_RATE_SCHEDULE.missionRates, gardening: 1 } as RateSchedule['missionRates'] }),
    ).toEqual([expect.objectContaining({ field: 'missionRates.gardening' })]));
});

describe('the schedule in force', () => {
  const versions = [DEFAULT_RATE_SCHEDULE, next];
  it('is the latest version effective on or before the day', () => {
    expect(scheduleInForce(versions, '2026-12-31')?.version).toBe('fmt-2026.1');
    expect(scheduleInForce(versions, '2027-01-01')?.version).toBe('fmt-2027.1');
    expect(scheduleInForce(versions, '2025-12-31')).toBeUndefined();
  });
});

describe('money and weights', () => {
  it.each([
    [5, 2, 3],
    [-5, 2, -3],
    [4, 3, 1],
    [5, 3, 2],
    [0, 7, 0],
    [Number.MAX_SAFE_INTEGER, 36_500_000_000, 246_773],
  ])('%p / %p rounds half away from zero to %p', (n, dd, expected) => {
    expect(divideRoundHalfAwayFromZero(n, dd)).toBe(expected);
    expect(divideRoundHalfAwayFromZeroBig(BigInt(n), BigInt(dd))).toBe(BigInt(expected));
  });

  it('agrees with BigInt on numerators where floating-point division is inexact', () => {
    for (let k = 0; k < 2_000; k++) {
      const n = Number.MAX_SAFE_INTEGER - k * 7_919_113;
      const dd = 36_600_000_000 - k;
      expect(divideRoundHalfAwayFromZero(n, dd)).toBe(Number(divideRoundHalfAwayFromZeroBig(BigInt(n), BigInt(dd))));
    }
  });

  it('reads weights with at most four decimals, exactly', () => {
    expect([parseWeight('1.1'), parseWeight('1.0500'), parseWeight(1.25), parseWeight('2')]).toEqual([11_000, 10_500, 12_500, 20_000]);
    expect([parseWeight('1.00001'), parseWeight('-1'), parseWeight('1,1'), parseWeight(Number.NaN)]).toEqual([undefined, undefined, undefined, undefined]);
    expect(formatWeight(10_500)).toBe('1.0500');
  });
});
