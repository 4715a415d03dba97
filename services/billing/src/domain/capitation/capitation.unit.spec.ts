import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { OPEN_END, toEpochDay, type DayRange, type PeriodId } from '../schedule/calendar';
import { DEFAULT_RATE_SCHEDULE } from '../schedule/default-schedule';
import type { RateSchedule } from '../schedule/rate-schedule';
import { centreCapitation, PeriodRates, type CapitationLine } from './capitation';
import { referenceLineCents } from './capitation-reference.fixtures';
import type { CommuneProfiles, PatientFacts } from './patient-facts';

const d = toEpochDay;
const from = (start: string, end?: string): DayRange => ({ start: d(start), end: end === undefined ? OPEN_END : d(end) });
const profiles: CommuneProfiles = (insee) =>
  ({ '93066': { unemploymentBasisPoints: 1_850 }, '93048': { unemploymentBasisPoints: 1_300 } })[insee] ?? { unemploymentBasisPoints: 700 };
const schedule: RateSchedule = { ...DEFAULT_RATE_SCHEDULE, territorial: { ...DEFAULT_RATE_SCHEDULE.territorial, underservedCommunes: ['23096'] } };
const ALWAYS: readonly DayRange[] = [from('2000-01-01')];

/** A 40-year-old in Paris 11e, attributed since 2025, no ALD, no C2S, no indicator. */
const patient = (over: Partial<PatientFacts> = {}): PatientFacts => ({
  patientId: 'p-1',
  birthYear: 1986,
  birthMonth: 5,
  communes: [{ from: d('2000-01-01'), insee: '75111' }],
  ald: [],
  c2s: [],
  attributed: [from('2025-06-01')],
  prevention: [],
  ...over,
});

function lineFor(
  facts: PatientFacts,
  period: PeriodId = '2026-03',
  membership: readonly DayRange[] = ALWAYS,
  s: RateSchedule = schedule,
): CapitationLine | undefined {
  return centreCapitation(new PeriodRates(s, period, profiles), { finess: '750000001', membership, patients: [facts] }).lines[0];
}

describe('a patient line for a month', () => {
  it('earns the annual table amount × days / days in the year, rounded once: 5 € × 31 / 365 = 42.47 → 42 cents', () => {
    const line = lineFor(patient())!;
    expect(line.cents).toBe(42);
    expect(line.numerator).toBe(500 * 100_000_000 * 31);
    expect(line.segments).toEqual([
      expect.objectContaining({
        start: d('2026-03-01'),
        end: d('2026-04-01'),
        ageBand: '7-74',
        chronic: false,
        c2s: false,
        prevention: [],
        commune: '75111',
        annualCents: 500,
      }),
    ]);
  });

  it('counts only the days from a mid-month declaration: 16 days of March → 21.92 → 22 cents', () =>
    expect(lineFor(patient({ attributed: [from('2026-03-16')] }))?.cents).toBe(22));

  it('counts only the days before an end (the end day excluded)', () =>
    expect(lineFor(patient({ attributed: [from('2025-01-01', '2026-03-11')] }))?.cents).toBe(14));

  it('has no line when the patient is not attributed to the centre in the period', () =>
    expect(lineFor(patient({ attributed: [from('2026-04-01')] }))).toBeUndefined());

  it('counts only the days on which the centre is a member of the network', () => {
    const line = lineFor(patient(), '2026-03', [from('2026-03-10')])!;
    expect(line.segments.map((s) => [s.start, s.end])).toEqual([[d('2026-03-10'), d('2026-04-01')]]);
    expect(line.cents).toBe(30); // 500 × 22 / 365 = 30.14
  });

  it('switches to the chronic amount on the day an ALD starts, and explains both segments', () => {
    const line = lineFor(patient({ ald: [from('2026-03-15')] }))!;
    expect(line.segments.map((s) => [s.start, s.end, s.chronic, s.annualCents])).toEqual([
      [d('2026-03-01'), d('2026-03-15'), false, 500],
      [d('2026-03-15'), d('2026-04-01'), true, 5_500],
    ]);
    expect(line.cents).toBe(275); // (500 × 14 + 5500 × 17) / 365 = 275.34
  });

  it('rounds the exact sum once, not each segment: two segments of 0.4 cent make 1 cent', () => {
    const tiny: RateSchedule = { ...schedule, ageBands: [{ code: 'all', fromAge: 0, withoutAld: 146, withAld: 146 }], supplements: { c2s: 0, prevention: {} } };
    // 146 × 1 / 365 = 0.4 per day; days 1 and 2 (separate segments through a commune change) = 0.8 → 1.
    const facts = patient({
      attributed: [from('2026-03-01', '2026-03-03')],
      communes: [
        { from: d('2000-01-01'), insee: '75111' },
        { from: d('2026-03-02'), insee: '75112' },
      ],
    });
    const line = lineFor(facts, '2026-03', ALWAYS, tiny)!;
    expect(line.segments).toHaveLength(2);
    expect(line.cents).toBe(1);
  });

  it('rounds half away from zero: 1.46 € × 1.25 × 1 day / 365 = exactly 0.5 cent → 1 cent', () => {
    const half: RateSchedule = {
      ...schedule,
      ageBands: [{ code: 'all', fromAge: 0, withoutAld: 146, withAld: 146 }],
      supplements: { c2s: 0, prevention: {} },
      territorial: { ...schedule.territorial, underservedWeight: 12_500, underservedCommunes: ['75111'] },
    };
    expect(lineFor(patient({ attributed: [from('2026-03-31')] }), '2026-03', ALWAYS, half)?.cents).toBe(1);
  });

  it('divides by 366 in a leap year', () => {
    expect(lineFor(patient({ ald: [from('2020-01-01')] }), '2028-02')?.numerator).toBe(5_500 * 100_000_000 * 29);
    expect(lineFor(patient({ ald: [from('2020-01-01')] }), '2028-02')?.cents).toBe(436); // 5500 × 29 / 366 = 435.79
  });
});

describe('age counts from the first day of the birth month', () => {
  const born = (year: number, month: number) => patient({ birthYear: year, birthMonth: month });
  it('a patient born in March 1951 is 75 from 1 March 2026, 74 in February', () => {
    expect(lineFor(born(1951, 3), '2026-03')?.segments[0]?.ageBand).toBe('75-79');
    expect(lineFor(born(1951, 3), '2026-02')?.segments[0]?.ageBand).toBe('7-74');
  });
  it('a child born in April 2019 is 6 in March 2026 and 7 from 1 April', () => {
    expect(lineFor(born(2019, 4), '2026-03')?.segments[0]?.ageBand).toBe('0-6');
    expect(lineFor(born(2019, 4), '2026-04')?.segments[0]?.ageBand).toBe('7-74');
  });
  it('a newborn is in the first band from the first day of the birth month', () => expect(lineFor(born(2026, 3), '2026-03')?.segments[0]?.ageBand).toBe('0-6'));
});

describe('supplements and weights', () => {
  it('adds C2S on the days it covers', () => {
    const line = lineFor(patient({ c2s: [from('2026-03-21')] }))!;
    expect(line.segments.map((s) => [s.c2s, s.annualCents])).toEqual([
      [false, 500],
      [true, 1_500],
    ]);
  });

  it('adds a validated indicator from its date to the end of that year, once per code; a 2025 validation earns nothing in 2026', () => {
    const prevention = [
      { indicator: 'vaccination-influenza', validatedOn: d('2026-03-10') },
      { indicator: 'vaccination-influenza', validatedOn: d('2026-03-20') },
      { indicator: 'screening-colorectal-cancer', validatedOn: d('2025-11-02') },
    ];
    const line = lineFor(patient({ prevention }))!;
    expect(line.segments.map((s) => [s.start, s.prevention, s.annualCents])).toEqual([
      [d('2026-03-01'), [], 500],
      [d('2026-03-10'), ['vaccination-influenza'], 1_000],
    ]);
    expect(lineFor(patient({ prevention }), '2026-12')?.segments.at(-1)?.prevention).toEqual(['vaccination-influenza']);
    expect(lineFor(patient({ prevention }), '2025-12')?.segments[0]?.prevention).toEqual(['screening-colorectal-cancer']);
  });

  it('multiplies by the underserved-zone and poverty weights of the commune of each day', () => {
    const line = lineFor(
      patient({
        communes: [
          { from: d('2000-01-01'), insee: '93066' },
          { from: d('2026-03-17'), insee: '23096' },
        ],
      }),
    )!;
    expect(line.segments.map((s) => [s.commune, s.weights.underserved, s.weights.povertyClass, s.weights.poverty])).toEqual([
      ['93066', 10_000, 'very-deprived', 11_000],
      ['23096', 11_000, 'standard', 10_000],
    ]);
    // 500 × 1.1 × 31 / 365 = 46.71: both communes weigh 1.1 here.
    expect(line.cents).toBe(47);
  });

  it('merges days that earn the same, e.g. a change of GP within the centre', () =>
    expect(lineFor(patient({ attributed: [from('2025-01-01', '2026-03-10'), from('2026-03-10')] }))?.segments).toHaveLength(1));
});

describe('the fast exact arithmetic matches the BigInt day-by-day reference', () => {
  const rng = xoroshiro128plus(20260301);
  const int = (min: number, max: number) => unsafeUniformIntDistribution(min, max, rng);
  const periods: PeriodId[] = ['2026-01', '2026-02', '2026-03', '2026-12', '2028-02', '2027-07'];
  const communes = ['75111', '93066', '93048', '23096'];
  const randomRange = (base: number): DayRange => {
    const start = base + int(-40, 40);
    return { start, end: int(0, 3) === 0 ? OPEN_END : start + int(1, 60) };
  };
  const randomPatient = (i: number, base: number): PatientFacts => ({
    patientId: `p-${i}`,
    birthYear: int(1920, 2028),
    birthMonth: int(1, 12),
    communes: [{ from: base - 400, insee: communes[int(0, 3)]! }, ...(int(0, 4) === 0 ? [{ from: base + int(0, 30), insee: communes[int(0, 3)]! }] : [])],
    ald: int(0, 4) === 0 ? [randomRange(base)] : [],
    c2s: int(0, 8) === 0 ? [randomRange(base)] : [],
    attributed: int(0, 5) === 0 ? [randomRange(base), randomRange(base + 70)] : [randomRange(base)],
    prevention:
      int(0, 3) === 0
        ? [
            { indicator: 'oral-examination', validatedOn: base + int(-60, 30) },
            { indicator: 'vaccination-hpv', validatedOn: base + int(-60, 30) },
          ]
        : [],
  });
  // The largest amounts a valid schedule allows with these weights: every numerator close to 2^53.
  const heavy: RateSchedule = {
    ...schedule,
    ageBands: schedule.ageBands.map((b) => ({ ...b, withAld: 99_000, withoutAld: 98_999 })),
    supplements: { c2s: 29_999, prevention: { 'oral-examination': 9_999, 'vaccination-hpv': 9_998 } },
    territorial: {
      ...schedule.territorial,
      underservedWeight: 13_333,
      povertyClasses: [
        { code: 'a', fromUnemploymentBasisPoints: 0, weight: 9_999 },
        { code: 'b', fromUnemploymentBasisPoints: 1_500, weight: 12_345 },
      ],
    },
  };

  it.each([
    ['the default schedule', schedule],
    ['amounts near the exactness bound', heavy],
  ])('on 3,000 random patients under %s', (_name, s) => {
    for (const period of periods) {
      const rates = new PeriodRates(s, period, profiles);
      const membership = [randomRange(rates.days.start)];
      const patients = Array.from({ length: 500 }, (_, i) => randomPatient(i, rates.days.start));
      const computed = new Map(centreCapitation(rates, { finess: '750000001', membership, patients }).lines.map((l) => [l.patientId, l]));
      for (const p of patients) {
        const expected = referenceLineCents(s, profiles, period, membership, p);
        const line = computed.get(p.patientId);
        expect([p.patientId, period, line === undefined ? undefined : BigInt(line.cents)]).toEqual([p.patientId, period, expected]);
        if (line) expect(Number.isSafeInteger(line.numerator)).toBe(true);
      }
    }
  });
});
