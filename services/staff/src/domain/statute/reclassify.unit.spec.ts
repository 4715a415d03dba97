import { PreconditionFailedError, ValidationError } from '@pcn/eventsourcing';
import { reclassify } from './reclassify';
import { PH_STATUTE } from './statute.fixtures';
import { ReclassificationLowersPayError } from './statute-errors';

const date = '2021-03-01';
const base = { statute: PH_STATUTE, date };

describe('reclassify (classement à l’indice égal ou immédiatement supérieur) on PH grids', () => {
  it('places in the lowest échelon paid at least as much; keeps seniority when the gain is below an advancement', () => {
    // praticien attaché 12e échelon 58 082,41 € → PH: 1er 52 933,33, 2e 55 288,94, 3e 59 159,06
    const r = reclassify({ ...base, fromGrade: 'praticien_attache', fromEchelon: 12, toGrade: 'ph', monthsInEchelon: 30 });
    expect(r).toMatchObject({ toEchelon: 3, comparedOn: 'annualGrossCents', before: 5_808_241, after: 5_915_906 });
    // gain 107 665 cents < last advancement of the attaché grid (58 082,41 − 55 607,79 = 2 474,62 €):
    // seniority kept, within the 24 months of PH échelon 3
    expect(r.keptSeniorityMonths).toBe(24);
    expect(r.newFullTimeAnnualGrossCents).toBeGreaterThanOrEqual(r.previousFullTimeAnnualGrossCents);
  });

  it('restarts seniority when the promotion gains more than an advancement would', () => {
    const r = reclassify({ ...base, fromGrade: 'praticien_attache', fromEchelon: 1, toGrade: 'ph', monthsInEchelon: 6 });
    expect(r).toMatchObject({ toEchelon: 1, keptSeniorityMonths: 0 });
  });

  it('an equal amount is a match (indice égal)', () => {
    const r = reclassify({ ...base, fromGrade: 'ph', fromEchelon: 2, toGrade: 'praticien_attache', monthsInEchelon: 10 });
    // PH 2e 55 288,94 → attaché 11e 55 607,79 (the 10e, 54 193,81, is below)
    expect(r).toMatchObject({ toEchelon: 11, keptSeniorityMonths: 10 });
  });

  it('refuses a move that would lower pay', () => {
    expect(() => reclassify({ ...base, fromGrade: 'ph', fromEchelon: 4, toGrade: 'praticien_attache' })).toThrow(ReclassificationLowersPayError);
    expect(() => reclassify({ ...base, fromGrade: 'ph', fromEchelon: 4, toGrade: 'praticien_attache' })).toThrow(PreconditionFailedError);
  });

  it('validates its input', () => {
    expect(() => reclassify({ ...base, fromGrade: 'ph', fromEchelon: 1, toGrade: 'ph' })).toThrow(ValidationError);
    expect(() => reclassify({ ...base, fromGrade: 'ph', fromEchelon: 1, toGrade: 'praticien_attache', monthsInEchelon: -2 })).toThrow(ValidationError);
    expect(() => reclassify({ ...base, fromGrade: 'ph', fromEchelon: 12, toGrade: 'praticien_attache' })).toThrow(ValidationError);
  });
});
