import { ValidationError } from '@pcn/eventsourcing';
import { divideRoundHalfUp } from './money';
import { fteToTenThousandths } from './fte';
import { fphAnnualCents, monthlyFromAnnual, prorate } from './compute-pay';
import { InvalidFteError } from './statute-errors';

describe('rounding rule: half up to the cent, integer arithmetic', () => {
  it('rounds an exact half up and anything below it down', () => {
    expect(divideRoundHalfUp(5, 2)).toBe(3); // 2.5
    expect(divideRoundHalfUp(15, 10)).toBe(2); // 1.5
    expect(divideRoundHalfUp(149_999, 100_000)).toBe(1); // 1.49999
    expect(divideRoundHalfUp(7, 12)).toBe(1); // 0.583…
    expect(divideRoundHalfUp(5, 12)).toBe(0); // 0.416…
    expect(divideRoundHalfUp(6, 12)).toBe(1); // 0.5 exactly
    expect(divideRoundHalfUp(0, 12)).toBe(0);
  });

  it('refuses what would need floating point', () => {
    expect(() => divideRoundHalfUp(1.5, 2)).toThrow(RangeError);
    expect(() => divideRoundHalfUp(-1, 2)).toThrow(RangeError);
    expect(() => divideRoundHalfUp(1, 0)).toThrow(RangeError);
  });

  it('FPH annual pay: IM × value of IM 100 / 100 — the half-cent cases land exactly', () => {
    // 25 × 590 734 / 100 = 147 683.5 cents: a float product 25 × 5907.34 would give 147683.49999…
    expect(fphAnnualCents(25, 590_734)).toBe(147_684);
    // 100 points are worth exactly the published value (décret n° 2023-519: 5 907,34 €)
    expect(fphAnnualCents(100, 590_734)).toBe(590_734);
    // 2022 value (décret n° 2022-994: 5 820,04 €)
    expect(fphAnnualCents(100, 582_004)).toBe(582_004);
    // .x4 rounds down: 1 × 590 734 / 100 = 5 907.34
    expect(fphAnnualCents(1, 590_734)).toBe(5_907);
  });

  it('monthly pay is annual / 12 rounded half up', () => {
    expect(monthlyFromAnnual(1_200)).toBe(100);
    expect(monthlyFromAnnual(1_206)).toBe(101); // 100.5 → 101
    expect(monthlyFromAnnual(1_205)).toBe(100); // 100.416… → 100
    // IM 366 (minimum de traitement since 1 January 2024) at 5 907,34 €: 1 801,74 € a month, the
    // figure given by CDG 89 / Maison des communes de Vendée for IM 366 (docs/statute/sources.md, P4).
    expect(monthlyFromAnnual(fphAnnualCents(366, 590_734))).toBe(180_174);
  });

  it('FTE prorating is one rounding, half up', () => {
    expect(prorate(101, 0.5)).toBe(51); // 50.5 → 51
    expect(prorate(100, 0.5)).toBe(50);
    expect(prorate(3, 0.3333)).toBe(1); // 0.9999 → 1
    expect(prorate(1, 0.4999)).toBe(0); // 0.4999 → 0
    expect(prorate(1, 0.5)).toBe(1); // 0.5 → 1
    expect(prorate(123_456, 1)).toBe(123_456);
  });

  it('FTE must be in (0, 1] with at most four decimals', () => {
    expect(fteToTenThousandths(1)).toBe(10_000);
    expect(fteToTenThousandths(0.8)).toBe(8_000);
    expect(fteToTenThousandths(0.0001)).toBe(1);
    expect(fteToTenThousandths(0.1 + 0.2)).toBe(3_000); // 0.30000000000000004 is 0.3
    for (const bad of [0, -0.5, 1.0001, Number.NaN, Number.POSITIVE_INFINITY, 0.00005, 0.12345]) {
      expect(() => fteToTenThousandths(bad)).toThrow(InvalidFteError);
    }
    try {
      fteToTenThousandths(1.5);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).violations[0]!.field).toBe('fte');
    }
  });
});
