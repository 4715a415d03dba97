import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STATUTE_DIRECTORY, loadPublishedStatute, StatuteFileError } from './adapters/statute-files';
import {
  advancementsDue,
  computePay,
  echelonOn,
  NoGridInForceError,
  publishValidation,
  UnknownGradeError,
  reclassify,
  ReclassificationLowersPayError,
  type FphGridVersion,
  type Pay,
  type Statute,
} from './domain/statute';

const statute = loadPublishedStatute();
const fph = statute.gridVersions.find((v) => v.id === 'fph-2024-01-01') as FphGridVersion;

describe('the shipped statute (services/staff/data)', () => {
  it('loads every data file and each one passes publishValidation', () => {
    const files = ['ph', 'fph', 'index-point'].flatMap((dir) => {
      try {
        return readdirSync(join(DEFAULT_STATUTE_DIRECTORY, dir)).filter((f) => f.endsWith('.json'));
      } catch {
        return [];
      }
    });
    expect(files.length).toBe(statute.gridVersions.length + statute.indexPointValues.length);
    expect(statute.gridVersions.map((v) => v.id)).toEqual(['ph-2023-07-01', 'fph-2024-01-01', 'fph-2026-01-01']);
    expect(statute.indexPointValues.map((v) => [v.effectiveFrom, v.annualCentsPer100Points])).toEqual([
      ['2022-07-01', 582_004],
      ['2023-07-01', 590_734],
    ]);
    for (const version of statute.gridVersions) {
      expect(publishValidation(version)).toEqual([]);
      const others = { ...statute, gridVersions: statute.gridVersions.filter((v) => v !== version) };
      expect(publishValidation(version, others)).toEqual([]);
    }
  });

  it('cites a source for every grade', () => {
    for (const version of statute.gridVersions) {
      for (const [code, grade] of Object.entries(version.grades)) {
        expect({ code, sources: (grade.sources ?? []).length > 0 }).toEqual({ code, sources: true });
      }
    }
  });

  it('fph-2026-01-01 adds ide_a_g1, restates ide_b_cn with a corrected note and carries mk_cs forward', () => {
    const next = statute.gridVersions.find((v) => v.id === 'fph-2026-01-01') as FphGridVersion;
    expect(next.carriedForwardFrom).toBe('fph-2024-01-01');
    expect(Object.keys(next.grades).sort()).toEqual(['ide_a_g1', 'ide_b_cn', 'mk_cs']);
    expect({ ...next.grades['ide_b_cn'], notes: undefined }).toEqual({ ...fph.grades['ide_b_cn'], notes: undefined });
    expect(next.grades['ide_b_cn']!.notes).toContain('ide_a_g1');
    expect(next.grades['mk_cs']).toEqual(fph.grades['mk_cs']);
    // Unconfirmed figures say so where a reader of the grid sees them.
    expect(next.grades['ide_a_g1']!.notes).toMatch(/^UNCONFIRMED for the FPH/);
    expect(next.grades['ide_a_g1']!.echelons.every((e) => e.indiceBrut === undefined)).toBe(true);
  });
});

/*
 * services/staff/data/ph/2023-07-01.json against its source table, copied verbatim from
 * ph-2023-07.csv (docs/statute/sources.md): the expected cents come from the euro strings, never
 * from the data file, and pay from the rule of docs/statute/rounding.md.
 */
const PH_2023_07_CSV = `echelon,annual_gross_eur,duration_months
1,55607.79,24
2,58082.41,24
3,62148.06,24
4,66567.10,24
5,68688.20,24
6,71162.82,24
7,76465.74,24
8,79647.56,24
9,90549.14,48
10,94557.64,48
11,99810.26,48
12,105062.90,48
13,112416.56,`;

const PH_ROWS = PH_2023_07_CSV.split('\n')
  .slice(1)
  .map((line) => {
    const [echelon, euros, months] = line.split(',') as [string, string, string];
    const [whole, cents] = euros.split('.') as [string, string];
    return { echelon: Number(echelon), annualCents: Number(whole) * 100 + Number(cents), months: months === '' ? undefined : Number(months) };
  });

/** Half up on non-negative integers, independently of the code's own helper. */
const halfUp = (numerator: number, denominator: number): number => Math.floor((2 * numerator + denominator) / (2 * denominator));

describe('the shipped PH grid (ph-2023-07-01) against its source table', () => {
  const ph = statute.gridVersions.find((v) => v.id === 'ph-2023-07-01')!;

  it('has every échelon, amount and duration of the table, from 2023-07-01', () => {
    expect(ph).toMatchObject({ kind: 'ph', effectiveFrom: '2023-07-01' });
    expect(Object.keys(ph.grades)).toEqual(['ph']);
    expect(ph.grades['ph']!.echelons).toEqual(
      PH_ROWS.map((r) => ({ echelon: r.echelon, annualGrossCents: r.annualCents, ...(r.months !== undefined && { durationMonths: r.months }) })),
    );
  });

  it('pays every échelon to the cent, full time and part time', () => {
    for (const row of PH_ROWS) {
      for (const [fte, tenThousandths] of [
        [1, 10_000],
        [0.8, 8_000],
        [0.5, 5_000],
        [0.3333, 3_333],
      ] as const) {
        const pay = computePay({ statute, grade: 'ph', echelon: row.echelon, fte, date: '2026-03-01' });
        const monthly = halfUp(row.annualCents, 12);
        expect({ echelon: row.echelon, fte, annual: pay.annualGrossCents, monthly: pay.monthlyGrossCents, fullTime: pay.fullTimeAnnualGrossCents }).toEqual({
          echelon: row.echelon,
          fte,
          annual: halfUp(row.annualCents * tenThousandths, 10_000),
          monthly: halfUp(monthly * tenThousandths, 10_000),
          fullTime: row.annualCents,
        });
      }
    }
    // Échelon 1 at full time: 55 607,79 € a year, 4 633,98 € a month (4 633,9825 → half up).
    expect(computePay({ statute, grade: 'ph', echelon: 1, fte: 1, date: '2023-07-01' })).toMatchObject({
      annualGrossCents: 5_560_779,
      monthlyGrossCents: 463_398,
    });
  });

  it('is not in force before 2023-07-01 (the 2022 amounts were not shipped)', () => {
    expect(() => computePay({ statute, grade: 'ph', echelon: 1, fte: 1, date: '2023-06-30' })).toThrow(NoGridInForceError);
  });

  it('advances a doctor by the durations of CSP R. 6152-21: 2 years up to échelon 9, then 4 years', () => {
    const due = advancementsDue({ statute, grade: 'ph', startEchelon: 7, startDate: '2026-01-05', from: '2026-01-05', to: '2040-01-01' });
    expect(due.map((a) => [a.echelon, a.effectiveOn])).toEqual([
      [8, '2028-01-05'],
      [9, '2030-01-05'],
      [10, '2034-01-05'],
      [11, '2038-01-05'],
    ]);
  });
});

describe('the shipped IDE catégorie A 1st grade (ide_a_g1, fph-2026-01-01)', () => {
  // Indices majorés and durations of docs/statute/sources.md (unconfirmed for the FPH).
  const IM = [395, 424, 447, 468, 491, 518, 550, 580, 610, 645, 678];
  const MONTHS = [12, 18, 24, 24, 30, 36, 36, 36, 48, 48];
  const INDEX_POINT_IM100_CENTS = 590_734; // 5 907,34 € a year for IM 100 since 2023-07-01

  it('pays IM × index point to the cent, and échelon 1 is the 1 944,50 € a month the FPH spot check found', () => {
    IM.forEach((im, i) => {
      const annual = halfUp(im * INDEX_POINT_IM100_CENTS, 100);
      const pay = computePay({ statute, grade: 'ide_a_g1', echelon: i + 1, fte: 0.8, date: '2026-03-01' });
      expect({
        echelon: i + 1,
        im: pay.indiceMajore,
        fullTime: pay.fullTimeAnnualGrossCents,
        annual: pay.annualGrossCents,
        monthly: pay.monthlyGrossCents,
      }).toEqual({
        echelon: i + 1,
        im,
        fullTime: annual,
        annual: halfUp(annual * 8_000, 10_000),
        monthly: halfUp(halfUp(annual, 12) * 8_000, 10_000),
      });
    });
    expect(computePay({ statute, grade: 'ide_a_g1', echelon: 1, fte: 1, date: '2026-03-01' }).monthlyGrossCents).toBe(194_450);
  });

  it('advances by the durations shipped', () => {
    const due = advancementsDue({ statute, grade: 'ide_a_g1', startEchelon: 1, startDate: '2026-01-05', from: '2026-01-05', to: '2070-01-01' });
    let months = 0;
    expect(due.map((a) => a.echelon)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    due.forEach((a, i) => {
      months += MONTHS[i]!;
      const years = 2026 + Math.floor(months / 12);
      const month = 1 + (months % 12);
      expect(a.effectiveOn).toBe(`${years}-${String(month).padStart(2, '0')}-05`);
    });
  });

  it('exists from 2026-01-01 only: fph-2024-01-01 was published without it and is never edited', () => {
    expect(() => computePay({ statute, grade: 'ide_a_g1', echelon: 1, fte: 1, date: '2025-12-31' })).toThrow(UnknownGradeError);
  });
});

describe('known figures', () => {
  const date = '2025-03-01';
  const monthly = (grade: string, echelon: number): number => computePay({ statute, grade, echelon, fte: 1, date }).monthlyGrossCents;

  it('masseur-kinésithérapeute de classe supérieure: every monthly traitement of the Emploithèque FPH grid page (sources.md, G1)', () => {
    // page columns « Traitement brut mensuel »: 2 559,85 … 3 785,62 € for IM 520 … 769
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((e) => monthly('mk_cs', e))).toEqual([
      255_985, 274_691, 286_506, 302_751, 318_996, 335_242, 351_487, 365_763, 378_562,
    ]);
  });

  it('infirmier de classe normale (catégorie B): every monthly traitement of the Emploithèque B NES page (sources.md, G3)', () => {
    // page: 1 855,89 … 2 751,84 € for IM 377 … 559
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((e) => monthly('ide_b_cn', e))).toEqual([185_589, 192_481, 200_850, 210_203, 221_033, 237_278, 255_985, 275_184]);
  });

  it('annual pay, the index-point value applied and the version are reported', () => {
    const pay = computePay({ statute, grade: 'mk_cs', echelon: 1, fte: 1, date });
    expect(pay).toMatchObject({
      annualGrossCents: 3_071_817, // 520 × 5 907,34 € / 100 = 30 718,168 → 30 718,17 €
      indiceMajore: 520,
      gridVersion: { id: 'fph-2024-01-01', kind: 'fph', effectiveFrom: '2024-01-01' },
    });
    expect(pay.indexPointValue?.effectiveFrom).toBe('2023-07-01');
  });

  it('no FPH grid is published before 2024-01-01 (the July 2023 indices were not shipped)', () => {
    expect(() => computePay({ statute, grade: 'mk_cs', echelon: 1, fte: 1, date: '2023-12-31' })).toThrow(NoGridInForceError);
  });
});

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('equal pay for equal grid position across all centres (property)', () => {
  const grades = Object.entries(fph.grades).map(([code, g]) => ({ code, echelons: g.echelons.length }));
  const ftes = [1, 0.9, 0.8, 0.75, 0.6, 0.5, 0.4, 0.3333, 0.25, 0.1, 0.0001];
  const dates = ['2024-01-01', '2024-06-30', '2025-02-28', '2026-01-31'];

  for (const seed of [1, 7, 42, 2024, 99_991]) {
    it(`seed ${seed}: professionals at the same grade, échelon, FTE and date are paid the same cents in every centre`, () => {
      const random = seeded(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      // Each centre runs its own payroll, from its own copy of the statute (versions listed in
      // a different order), for its own professionals.
      const centres = Array.from({ length: 12 }, (_, i) => {
        const copy = structuredClone(statute) as Statute;
        const shuffled: Statute = { gridVersions: [...copy.gridVersions].reverse(), indexPointValues: [...copy.indexPointValues].sort(() => random() - 0.5) };
        return { finess: `0${String(750_000_000 + i * 7919)}`, statute: shuffled };
      });
      const byPosition = new Map<string, Pay[]>();
      for (let n = 0; n < 400; n += 1) {
        const centre = pick(centres);
        const grade = pick(grades);
        const position = { grade: grade.code, echelon: 1 + Math.floor(random() * grade.echelons), fte: pick(ftes), date: pick(dates) };
        const pay = computePay({ statute: centre.statute, ...position });
        const key = JSON.stringify(position);
        byPosition.set(key, [...(byPosition.get(key) ?? []), pay]);
      }
      let compared = 0;
      for (const [key, pays] of byPosition) {
        const first = pays[0]!;
        for (const other of pays.slice(1)) {
          compared += 1;
          expect({ key, annual: other.annualGrossCents, monthly: other.monthlyGrossCents }).toEqual({
            key,
            annual: first.annualGrossCents,
            monthly: first.monthlyGrossCents,
          });
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('a higher FTE never pays less, and full time is the reference', () => {
    for (const { code, echelons } of grades) {
      for (let echelon = 1; echelon <= echelons; echelon += 1) {
        const pays = [...ftes].reverse().map((fte) => computePay({ statute, grade: code, echelon, fte, date: '2025-01-01' }).monthlyGrossCents);
        expect([...pays].sort((a, b) => a - b)).toEqual(pays);
      }
    }
  });
});

describe('échelon progression on the published grid', () => {
  it('part-time counts in full: the same dates at 0.5 and at 1 FTE, only pay differs', () => {
    const start = { statute, grade: 'mk_cs', startEchelon: 1, startDate: '2024-09-01' };
    const due = advancementsDue({ ...start, from: '2024-09-01', to: '2060-12-31' });
    // durations 2, 2, 2, 2½, 3, 3, 4, 4 years (sources.md, G1)
    expect(due.map((a) => [a.echelon, a.effectiveOn])).toEqual([
      [2, '2026-09-01'],
      [3, '2028-09-01'],
      [4, '2030-09-01'],
      [5, '2033-03-01'],
      [6, '2036-03-01'],
      [7, '2039-03-01'],
      [8, '2043-03-01'],
      [9, '2047-03-01'],
    ]);
    const position = echelonOn({ ...start, date: '2033-03-01' });
    expect(position.echelon).toBe(5);
    const full = computePay({ statute, grade: 'mk_cs', echelon: position.echelon, fte: 1, date: '2033-03-01' });
    const half = computePay({ statute, grade: 'mk_cs', echelon: position.echelon, fte: 0.5, date: '2033-03-01' });
    expect(half.monthlyGrossCents).toBe(Math.round(full.monthlyGrossCents / 2)); // 318 996 / 2 = 159 498
  });

  it('seniority retained from earlier service brings the first advancement forward', () => {
    const without = echelonOn({ statute, grade: 'ide_b_cn', startEchelon: 4, startDate: '2024-03-01', date: '2024-03-01' });
    const withRetained = echelonOn({ statute, grade: 'ide_b_cn', startEchelon: 4, startDate: '2024-03-01', retainedSeniorityMonths: 30, date: '2024-03-01' });
    expect(without.nextAdvancementOn).toBe('2028-03-01'); // 4 years in échelon 4
    expect(withRetained.nextAdvancementOn).toBe('2025-09-01'); // 48 − 30 = 18 months left
  });
});

describe('promotion keeps pay at least equal', () => {
  it('ide_b_cn → mk_cs: every échelon lands on an indice equal or immediately above', () => {
    const indices = fph.grades['mk_cs']!.echelons.map((e) => e.indiceMajore);
    for (let e = 1; e <= fph.grades['ide_b_cn']!.echelons.length; e += 1) {
      const r = reclassify({ statute, fromGrade: 'ide_b_cn', fromEchelon: e, toGrade: 'mk_cs', date: '2025-01-01', monthsInEchelon: 12 });
      expect(r.after).toBeGreaterThanOrEqual(r.before);
      expect(r.newFullTimeAnnualGrossCents).toBeGreaterThanOrEqual(r.previousFullTimeAnnualGrossCents);
      // immediately above: the échelon below (if any) is paid less than before
      if (r.toEchelon > 1) expect(indices[r.toEchelon - 2]!).toBeLessThan(r.before);
    }
  });

  it('IM 520 → IM 520 keeps the seniority; IM 559 → IM 582 (558 is below) too; IM 377 → IM 520 restarts it', () => {
    const at = (fromEchelon: number) => reclassify({ statute, fromGrade: 'ide_b_cn', fromEchelon, toGrade: 'mk_cs', date: '2025-01-01', monthsInEchelon: 30 });
    expect(at(7)).toMatchObject({ toEchelon: 1, before: 520, after: 520, keptSeniorityMonths: 24 });
    expect(at(8)).toMatchObject({ toEchelon: 3, before: 559, after: 582, keptSeniorityMonths: 24 });
    expect(at(1)).toMatchObject({ toEchelon: 1, before: 377, after: 520, keptSeniorityMonths: 0 });
  });

  it('every pair of published grades and every échelon: pay never goes down (or the move is refused)', () => {
    const codes = Object.keys(fph.grades);
    for (const from of codes) {
      for (const to of codes.filter((c) => c !== from)) {
        for (let e = 1; e <= fph.grades[from]!.echelons.length; e += 1) {
          try {
            const r = reclassify({ statute, fromGrade: from, fromEchelon: e, toGrade: to, date: '2025-06-01' });
            expect(r.newFullTimeAnnualGrossCents).toBeGreaterThanOrEqual(r.previousFullTimeAnnualGrossCents);
          } catch (error) {
            expect(error).toBeInstanceOf(ReclassificationLowersPayError);
          }
        }
      }
    }
    expect(() => reclassify({ statute, fromGrade: 'mk_cs', fromEchelon: 9, toGrade: 'ide_b_cn', date: '2025-06-01' })).toThrow(ReclassificationLowersPayError);
  });
});

describe('loadPublishedStatute refuses bad files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pcn-statute-'));
    mkdirSync(join(dir, 'fph'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, body: unknown) => writeFileSync(join(dir, 'fph', name), JSON.stringify(body));

  it('an unknown field (a typo cannot hide a figure)', () => {
    write('2024-01-01.json', { ...fph, grades: { mk_cs: { ...fph.grades['mk_cs']!, echelons: [{ echelon: 1, indiceMajor: 520 }] } } });
    expect(() => loadPublishedStatute(dir)).toThrow(StatuteFileError);
  });

  it('a version that fails publication, naming the field', () => {
    const echelons = fph.grades['mk_cs']!.echelons.map((e, i) => (i === 3 ? { ...e, indiceMajore: 500 } : e));
    write('2024-01-01.json', { ...fph, grades: { mk_cs: { ...fph.grades['mk_cs']!, echelons } } });
    expect(() => loadPublishedStatute(dir)).toThrow(/grades\.mk_cs\.echelons\[3\]\.indiceMajore/);
  });

  it('a file not named after its effective date', () => {
    write('latest.json', fph);
    expect(() => loadPublishedStatute(dir)).toThrow(/file name must be its effectiveFrom/);
  });
});
