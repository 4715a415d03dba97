import { NotFoundError, PreconditionFailedError, ValidationError } from '@pcn/eventsourcing';
import { computePay } from './compute-pay';
import { indexPointValueOn, versionInForce, type Statute } from './statute';
import { PH_FIXTURE, PH_STATUTE, POINT_2022, POINT_2023 } from './statute.fixtures';
import { EchelonOutOfRangeError, InvalidDateError, InvalidFteError, NoGridInForceError, NoIndexPointValueError, UnknownGradeError } from './statute-errors';
import type { PhGridVersion } from './pay-grid';

const later: PhGridVersion = { ...PH_FIXTURE, id: 'ph-later', effectiveFrom: '2021-01-01' };

describe('versionInForce', () => {
  const statute: Statute = { gridVersions: [later, PH_FIXTURE], indexPointValues: [] };

  it('is the latest version effective on or before the date, whatever the order of publication', () => {
    expect(versionInForce(statute, 'ph', '2020-10-01').id).toBe(PH_FIXTURE.id);
    expect(versionInForce(statute, 'ph', '2020-12-31').id).toBe(PH_FIXTURE.id);
    expect(versionInForce(statute, 'ph', '2021-01-01').id).toBe('ph-later');
    expect(versionInForce(statute, 'ph', '2030-06-15').id).toBe('ph-later');
  });

  it('fails before the first version, and for a kind with no version', () => {
    expect(() => versionInForce(statute, 'ph', '2020-09-30')).toThrow(NoGridInForceError);
    expect(() => versionInForce(statute, 'fph', '2025-01-01')).toThrow(PreconditionFailedError);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => versionInForce(statute, 'ph', '2021-02-30')).toThrow(InvalidDateError);
    expect(() => versionInForce(statute, 'ph', '1/1/2021')).toThrow(ValidationError);
  });
});

describe('indexPointValueOn', () => {
  const statute: Statute = { gridVersions: [], indexPointValues: [POINT_2023, POINT_2022] };
  it('2022-07-01 value until 2023-06-30, 2023-07-01 value after', () => {
    expect(indexPointValueOn(statute, '2022-07-01').annualCentsPer100Points).toBe(582_004);
    expect(indexPointValueOn(statute, '2023-06-30').annualCentsPer100Points).toBe(582_004);
    expect(indexPointValueOn(statute, '2023-07-01').annualCentsPer100Points).toBe(590_734);
  });
  it('fails before the first value', () => {
    expect(() => indexPointValueOn(statute, '2022-06-30')).toThrow(NoIndexPointValueError);
  });
});

describe('computePay on a PH grid', () => {
  const date = '2020-11-15';

  it('full time: the published annual emoluments, and a twelfth of them rounded half up', () => {
    // Annexe PH, montants au 1er octobre 2020: 1er échelon 52 933,33 €. 5 293 333 / 12 = 441 111.08…
    // → 4 411,11 € a month, the monthly figure medical-rh.com shows for échelon 1 (sources.md, F1).
    const pay = computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 1, fte: 1, date });
    expect(pay.annualGrossCents).toBe(5_293_333);
    expect(pay.monthlyGrossCents).toBe(441_111);
    expect(pay.gridVersion).toEqual({ id: PH_FIXTURE.id, kind: 'ph', effectiveFrom: '2020-10-01' });
    expect(pay.indexPointValue).toBeUndefined();
    // 10e échelon 90 009,89 € → 7 500,82 € a month (same page).
    expect(computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 10, fte: 1, date }).monthlyGrossCents).toBe(750_082);
  });

  it('part time: full-time amounts × FTE, each rounded once', () => {
    const pay = computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 1, fte: 0.6, date });
    expect(pay.fullTimeAnnualGrossCents).toBe(5_293_333);
    expect(pay.annualGrossCents).toBe(3_176_000); // 3 175 999.8 → 3 176 000
    expect(pay.monthlyGrossCents).toBe(264_667); // 441 111 × 0.6 = 264 666.6 → 264 667
  });

  it('typed errors for an unknown grade, an échelon out of range, an FTE out of (0, 1], no grid in force', () => {
    expect(() => computePay({ statute: PH_STATUTE, grade: 'sage_femme', echelon: 1, fte: 1, date })).toThrow(UnknownGradeError);
    expect(() => computePay({ statute: PH_STATUTE, grade: 'sage_femme', echelon: 1, fte: 1, date })).toThrow(NotFoundError);
    expect(() => computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 11, fte: 1, date })).toThrow(EchelonOutOfRangeError);
    expect(() => computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 0, fte: 1, date })).toThrow(EchelonOutOfRangeError);
    expect(() => computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 2.5, fte: 1, date })).toThrow(EchelonOutOfRangeError);
    expect(() => computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 1, fte: 0, date })).toThrow(InvalidFteError);
    expect(() => computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 1, fte: 1.2, date })).toThrow(InvalidFteError);
    expect(() => computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 1, fte: 1, date: '2020-09-30' })).toThrow(NoGridInForceError);
  });

  it('names the offending field for adapters (INVALID_ARGUMENT with field violations)', () => {
    try {
      computePay({ statute: PH_STATUTE, grade: 'ph', echelon: 42, fte: 1, date });
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as ValidationError).kind).toBe('invalid_argument');
      expect((error as ValidationError).violations).toEqual([{ field: 'echelon', description: 'grade ph has échelons 1 to 10, got 42' }]);
    }
  });
});
