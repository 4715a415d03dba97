import { ValidationError } from '@pcn/eventsourcing';
import { advancementsDue, echelonOn } from './echelon-progression';
import type { PhGridVersion } from './pay-grid';
import type { Statute } from './statute';
import { PH_FIXTURE, PH_STATUTE } from './statute.fixtures';
import { NoGridInForceError } from './statute-errors';

const ph = { statute: PH_STATUTE, grade: 'ph' } as const;

describe('echelonOn', () => {
  it('advances when the duration is served, on the anniversary day', () => {
    const start = { ...ph, startEchelon: 1, startDate: '2020-10-01' };
    expect(echelonOn({ ...start, date: '2020-10-01' })).toEqual({
      grade: 'ph',
      echelon: 1,
      reachedOn: '2020-10-01',
      seniorityFrom: '2020-10-01',
      nextAdvancementOn: '2022-10-01',
    });
    expect(echelonOn({ ...start, date: '2022-09-30' }).echelon).toBe(1);
    expect(echelonOn({ ...start, date: '2022-10-01' })).toMatchObject({ echelon: 2, reachedOn: '2022-10-01', nextAdvancementOn: '2024-10-01' });
    // 8 × 2 years then 4 years in échelon 9 (article R. 6152-21 durations in the fixture)
    expect(echelonOn({ ...start, date: '2036-10-01' })).toMatchObject({ echelon: 9, nextAdvancementOn: '2040-10-01' });
  });

  it('stops at the last échelon', () => {
    const position = echelonOn({ ...ph, startEchelon: 1, startDate: '2020-10-01', date: '2075-01-01' });
    expect(position).toEqual({ grade: 'ph', echelon: 10, reachedOn: '2040-10-01', seniorityFrom: '2040-10-01' });
  });

  it('retained seniority counts toward the first advancement only', () => {
    const start = { ...ph, startEchelon: 3, startDate: '2021-01-01', retainedSeniorityMonths: 18 };
    const position = echelonOn({ ...start, date: '2021-01-01' });
    expect(position).toEqual({ grade: 'ph', echelon: 3, reachedOn: '2021-01-01', seniorityFrom: '2019-07-01', nextAdvancementOn: '2021-07-01' });
    // échelon 4 after the remaining 6 months, échelon 5 a full duration later
    expect(advancementsDue({ ...start, from: '2021-01-01', to: '2023-12-31' }).map((a) => [a.echelon, a.effectiveOn])).toEqual([
      [4, '2021-07-01'],
      [5, '2023-07-01'],
    ]);
  });

  it('refuses retained seniority that reaches the échelon duration (the professional belongs higher)', () => {
    expect(() => echelonOn({ ...ph, startEchelon: 3, startDate: '2021-01-01', retainedSeniorityMonths: 24, date: '2021-01-01' })).toThrow(ValidationError);
    expect(() => echelonOn({ ...ph, startEchelon: 3, startDate: '2021-01-01', retainedSeniorityMonths: -1, date: '2021-01-01' })).toThrow(ValidationError);
    // the last échelon has no duration: any retained seniority is accepted
    expect(echelonOn({ ...ph, startEchelon: 10, startDate: '2021-01-01', retainedSeniorityMonths: 100, date: '2030-01-01' }).echelon).toBe(10);
  });

  it('month ends: the day is clamped, and computing from the start date keeps the 29th of a leap February', () => {
    const start = { ...ph, startEchelon: 1, startDate: '2020-10-31', retainedSeniorityMonths: 8 };
    expect(advancementsDue({ ...start, from: '2020-10-31', to: '2024-12-31' }).map((a) => a.effectiveOn)).toEqual(['2022-02-28', '2024-02-29']);
  });

  it('refuses a date before the start and a start before any grid', () => {
    expect(() => echelonOn({ ...ph, startEchelon: 1, startDate: '2021-01-01', date: '2020-12-31' })).toThrow(ValidationError);
    expect(() => echelonOn({ ...ph, startEchelon: 1, startDate: '2019-01-01', date: '2021-01-01' })).toThrow(NoGridInForceError);
    expect(() => echelonOn({ ...ph, startEchelon: 11, startDate: '2021-01-01', date: '2021-01-01' })).toThrow(ValidationError);
  });

  it('an échelon reached after a decree changing durations follows the new durations', () => {
    // Structural test: the same amounts with every duration halved from 2023-01-01 (not a statute figure).
    const halved: PhGridVersion = {
      ...PH_FIXTURE,
      id: 'ph-halved-2023-01-01',
      effectiveFrom: '2023-01-01',
      grades: {
        ph: {
          ...PH_FIXTURE.grades['ph']!,
          echelons: PH_FIXTURE.grades['ph']!.echelons.map((e) => (e.durationMonths ? { ...e, durationMonths: e.durationMonths / 2 } : e)),
        },
      },
    };
    const statute: Statute = { ...PH_STATUTE, gridVersions: [PH_FIXTURE, halved] };
    const due = advancementsDue({ statute, grade: 'ph', startEchelon: 1, startDate: '2021-01-01', from: '2021-01-01', to: '2025-12-31' });
    // échelon 1 reached in 2021 under the 24-month rule; échelon 2 reached 2023-01-01 under the 12-month rule
    expect(due.map((a) => [a.echelon, a.effectiveOn, a.gridVersionId])).toEqual([
      [2, '2023-01-01', PH_FIXTURE.id],
      [3, '2024-01-01', 'ph-halved-2023-01-01'],
      [4, '2025-01-01', 'ph-halved-2023-01-01'],
    ]);
  });
});

describe('advancementsDue', () => {
  const start = { ...ph, startEchelon: 1, startDate: '2020-10-01' };

  it('lists the advancements between two dates, both included', () => {
    expect(advancementsDue({ ...start, from: '2022-10-01', to: '2024-10-01' }).map((a) => [a.echelon, a.effectiveOn])).toEqual([
      [2, '2022-10-01'],
      [3, '2024-10-01'],
    ]);
    expect(advancementsDue({ ...start, from: '2022-10-02', to: '2024-09-30' })).toEqual([]);
  });

  it('lists a whole career', () => {
    const career = advancementsDue({ ...start, from: '2020-01-01', to: '2099-12-31' });
    expect(career.map((a) => a.echelon)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(career.at(-1)!.effectiveOn).toBe('2040-10-01');
  });

  it('refuses an inverted period', () => {
    expect(() => advancementsDue({ ...start, from: '2024-01-01', to: '2023-01-01' })).toThrow(ValidationError);
  });
});
