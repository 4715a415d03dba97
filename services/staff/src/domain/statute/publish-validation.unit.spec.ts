import type { FieldViolation } from '@pcn/eventsourcing';
import { loadPublishedStatute } from '../../adapters/statute-files';
import { assertPublishable, indexPointValueValidation, publishValidation } from './publish-validation';
import type { FphGridVersion, PayGridVersion, PhGridVersion } from './pay-grid';
import { PH_FIXTURE, POINT_2023 } from './statute.fixtures';
import { UnpublishableGridError } from './statute-errors';

/* Structural test values below (the FPH version) only exercise the checks; they are not statute figures. */
const FPH: FphGridVersion = {
  id: 'fph-2099-01-01',
  kind: 'fph',
  effectiveFrom: '2099-01-01',
  sources: [{ title: 'Test text', reference: 'test', url: 'https://example.org/text' }],
  grades: {
    ide_cn: {
      label: 'Test grade',
      echelons: [
        { echelon: 1, indiceMajore: 400, durationMonths: 12 },
        { echelon: 2, indiceMajore: 410, durationMonths: 24 },
        { echelon: 3, indiceMajore: 420, durationMonths: 24 },
        { echelon: 4, indiceMajore: 430, durationMonths: 36 },
        { echelon: 5, indiceMajore: 440 },
      ],
    },
  },
};

const clone = <T>(value: T): T => structuredClone(value);
type Mutable = { grades: Record<string, { echelons: Record<string, unknown>[] }> } & Record<string, unknown>;
const broken = (version: PayGridVersion, mutate: (v: Mutable) => void): PayGridVersion => {
  const copy = clone(version) as unknown as Mutable;
  mutate(copy);
  return copy as unknown as PayGridVersion;
};
const fields = (violations: FieldViolation[]): string[] => violations.map((v) => v.field);

describe('publishValidation', () => {
  it('accepts well-formed versions', () => {
    expect(publishValidation(PH_FIXTURE)).toEqual([]);
    expect(publishValidation(FPH)).toEqual([]);
    expect(assertPublishable(FPH)).toBe(FPH);
  });

  it('échelons must run 1..n in order', () => {
    const v = broken(FPH, (x) => (x.grades['ide_cn']!.echelons[2]!['echelon'] = 4));
    expect(fields(publishValidation(v))).toEqual(['grades.ide_cn.echelons[2].echelon']);
  });

  it('amounts must be strictly positive whole numbers', () => {
    expect(fields(publishValidation(broken(FPH, (x) => (x.grades['ide_cn']!.echelons[3]!['indiceMajore'] = 0))))).toContain(
      'grades.ide_cn.echelons[3].indiceMajore',
    );
    expect(fields(publishValidation(broken(FPH, (x) => (x.grades['ide_cn']!.echelons[3]!['indiceMajore'] = 431.5))))).toContain(
      'grades.ide_cn.echelons[3].indiceMajore',
    );
    expect(fields(publishValidation(broken(PH_FIXTURE, (x) => (x.grades['ph']!.echelons[0]!['annualGrossCents'] = -1))))).toEqual([
      'grades.ph.echelons[0].annualGrossCents',
    ]);
    expect(fields(publishValidation(broken(PH_FIXTURE, (x) => (x.grades['ph']!.echelons[0]!['annualGrossCents'] = '52933.33'))))).toEqual([
      'grades.ph.echelons[0].annualGrossCents',
    ]);
  });

  it('pay may not decrease with the échelon (equal is allowed)', () => {
    const decreasing = broken(FPH, (x) => (x.grades['ide_cn']!.echelons[3]!['indiceMajore'] = 415));
    expect(publishValidation(decreasing)).toEqual([
      { field: 'grades.ide_cn.echelons[3].indiceMajore', description: "pay may not decrease with the échelon: 415 is below échelon 3's 420" },
    ]);
    const flat = broken(FPH, (x) => (x.grades['ide_cn']!.echelons[3]!['indiceMajore'] = 420));
    expect(publishValidation(flat)).toEqual([]);
  });

  it('every échelon but the last has a positive duration; the last has none', () => {
    expect(fields(publishValidation(broken(FPH, (x) => delete x.grades['ide_cn']!.echelons[1]!['durationMonths'])))).toEqual([
      'grades.ide_cn.echelons[1].durationMonths',
    ]);
    expect(fields(publishValidation(broken(FPH, (x) => (x.grades['ide_cn']!.echelons[1]!['durationMonths'] = 0))))).toEqual([
      'grades.ide_cn.echelons[1].durationMonths',
    ]);
    expect(fields(publishValidation(broken(FPH, (x) => (x.grades['ide_cn']!.echelons[4]!['durationMonths'] = 12))))).toEqual([
      'grades.ide_cn.echelons[4].durationMonths',
    ]);
  });

  it('a grid carries the amount of its kind only', () => {
    const v = broken(FPH, (x) => (x.grades['ide_cn']!.echelons[0]!['annualGrossCents'] = 100));
    expect(fields(publishValidation(v))).toEqual(['grades.ide_cn.echelons[0].annualGrossCents']);
  });

  it('checks the version itself: id, kind, effective date, sources, grades', () => {
    const v = broken(FPH, (x) => {
      x['id'] = 'FPH 2099';
      x['effectiveFrom'] = '2099-02-30';
      x['sources'] = [];
    });
    expect(fields(publishValidation(v))).toEqual(['id', 'effectiveFrom', 'sources']);
    expect(fields(publishValidation(broken(FPH, (x) => (x['kind'] = 'cct'))))).toContain('kind');
    expect(fields(publishValidation(broken(FPH, (x) => (x['grades'] = {}))))).toEqual(['grades']);
    expect(fields(publishValidation(broken(FPH, (x) => ((x['sources'] as Record<string, unknown>[])[0]!['url'] = 'legifrance'))))).toEqual(['sources[0].url']);
    expect(fields(publishValidation(broken(FPH, (x) => (x.grades['IDE-CN'] = x.grades['ide_cn']!))))).toEqual(['grades.IDE-CN']);
  });

  it('returns every violation at once', () => {
    const v = broken(FPH, (x) => {
      x.grades['ide_cn']!.echelons[1]!['indiceMajore'] = 0;
      x.grades['ide_cn']!.echelons[4]!['durationMonths'] = 6;
      x['effectiveFrom'] = 'soon';
    });
    expect(fields(publishValidation(v))).toEqual(['effectiveFrom', 'grades.ide_cn.echelons[1].indiceMajore', 'grades.ide_cn.echelons[4].durationMonths']);
    expect(() => assertPublishable(v)).toThrow(UnpublishableGridError);
  });

  it('against the published statute: no second version on the same date, no reused id, no grade code of the other kind', () => {
    const statute = { gridVersions: [FPH, PH_FIXTURE], indexPointValues: [] };
    const sameDate = { ...clone(FPH), id: 'fph-other' };
    expect(fields(publishValidation(sameDate, statute))).toEqual(['effectiveFrom']);
    const sameId: FphGridVersion = { ...clone(FPH), effectiveFrom: '2100-01-01' };
    expect(fields(publishValidation(sameId, statute))).toEqual(['id']);
    const clash: PhGridVersion = {
      ...clone(PH_FIXTURE),
      id: 'ph-clash',
      effectiveFrom: '2030-01-01',
      grades: { ...PH_FIXTURE.grades, ide_cn: PH_FIXTURE.grades['ph']! },
    };
    expect(fields(publishValidation(clash, statute))).toEqual(['grades.ide_cn']);
    const next: FphGridVersion = { ...clone(FPH), id: 'fph-2100-01-01', effectiveFrom: '2100-01-01' };
    expect(publishValidation(next, statute)).toEqual([]);
  });
});

describe('indexPointValueValidation', () => {
  it('accepts a published value and refuses a malformed or duplicate one', () => {
    expect(indexPointValueValidation(POINT_2023)).toEqual([]);
    expect(fields(indexPointValueValidation({ ...POINT_2023, annualCentsPer100Points: 5907.34 }))).toEqual(['annualCentsPer100Points']);
    expect(fields(indexPointValueValidation({ ...POINT_2023, effectiveFrom: '2023-13-01' }))).toEqual(['effectiveFrom']);
    expect(fields(indexPointValueValidation(POINT_2023, { gridVersions: [], indexPointValues: [POINT_2023] }))).toEqual(['effectiveFrom']);
  });
});

describe('a new version restates every grade', () => {
  it('refuses a version that drops a grade of the version before it', () => {
    const statute = loadPublishedStatute();
    const fph = statute.gridVersions.filter((v) => v.kind === 'fph').sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0]!;
    const { mk_cs: _dropped, ...rest } = fph.grades as Record<string, (typeof fph.grades)[string]>;
    const next = { id: 'fph-2030-01-01', kind: 'fph', effectiveFrom: '2030-01-01', sources: fph.sources, grades: rest } as typeof fph;
    expect(publishValidation(next, statute)).toEqual([
      { field: 'grades.mk_cs', description: `grade mk_cs of version ${fph.id} is missing: a new version restates every grade` },
    ]);
  });

  it('carries grades forward only from the version in force just before', () => {
    const statute = loadPublishedStatute();
    const next = {
      id: 'fph-2030-01-01',
      kind: 'fph',
      effectiveFrom: '2030-01-01',
      sources: FPH.sources,
      carriedForwardFrom: 'fph-2026-01-01',
      grades: {},
    } as FphGridVersion;
    expect(fields(publishValidation({ ...next, grades: FPH.grades }, statute))).toEqual(['grades.ide_a_g1', 'grades.ide_b_cn', 'grades.mk_cs']);
    expect(
      publishValidation(
        { ...next, carriedForwardFrom: 'fph-2024-01-01', grades: statute.gridVersions.find((v) => v.id === 'fph-2026-01-01')!.grades } as FphGridVersion,
        statute,
      ),
    ).toEqual([
      {
        field: 'carriedForwardFrom',
        description: 'grades are carried forward from the version in force before 2030-01-01: fph-2026-01-01, not fph-2024-01-01',
      },
    ]);
    expect(fields(publishValidation({ ...FPH, carriedForwardFrom: 'Not An Id' }))).toEqual(['carriedForwardFrom']);
  });
});
