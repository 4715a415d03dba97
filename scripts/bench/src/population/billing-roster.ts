import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import { epochDayOf, OPEN_END, periodDays, type CentreRoster, type CommuneProfile, type DayRange, type PatientFacts, type PeriodId } from '@pcn/billing';

export interface BillingRosterOptions {
  readonly patients: number;
  readonly centres: number;
  readonly period: PeriodId;
  readonly seed?: number;
}

export interface BillingRoster {
  readonly centres: readonly CentreRoster[];
  readonly communes: ReadonlyMap<string, CommuneProfile>;
  readonly underservedCommunes: readonly string[];
  /** Counts of what the generator drew, printed beside the figures. */
  readonly drawn: Readonly<Record<string, number>>;
}

/** Share of the population per 5-year age band from 0-4 to 95-99 (INSEE pyramid, rounded). */
const AGE_BAND_WEIGHTS = [52, 57, 60, 60, 56, 55, 60, 62, 64, 63, 67, 66, 64, 58, 54, 40, 28, 18, 9, 3];
/** Probability of an active ALD (per mille) by the same bands: ~20 % overall, rising with age. */
const ALD_PER_MILLE = [20, 30, 40, 50, 60, 70, 80, 100, 130, 160, 210, 260, 320, 380, 430, 480, 520, 560, 580, 600];
const NO_RANGES: readonly DayRange[] = [];

/**
 * A synthetic roster with the churn of a real month: ~20 % ALD (rising with age), ~11 % C2S with
 * yearly renewals, ~1.5 % declared and ~1 % ended mid-month, GP changes inside the centre, moves,
 * prevention indicators validated through the year, and a few centres joining mid-month. Patients
 * are attributed to one centre each; deterministic for a seed.
 */
export function generateBillingRoster(options: BillingRosterOptions): BillingRoster {
  const rng: RandomGenerator = xoroshiro128plus(options.seed ?? 14);
  const int = (min: number, max: number): number => unsafeUniformIntDistribution(min, max, rng);
  const chance = (perMille: number): boolean => int(0, 999) < perMille;
  const { start, end, year } = periodDays(options.period);
  const yearStart = epochDayOf(year, 1, 1);
  const midMonth = (): number => start + int(1, end - start - 1);
  const before = (days: number): number => start - int(1, days);
  const bandTotal = AGE_BAND_WEIGHTS.reduce((a, b) => a + b, 0);
  const drawn: Record<string, number> = {
    ald: 0,
    c2s: 0,
    declaredMidMonth: 0,
    endedMidMonth: 0,
    gpChanges: 0,
    moves: 0,
    prevention: 0,
    aldStartsMidMonth: 0,
    c2sChangesMidMonth: 0,
  };

  const communes = new Map<string, CommuneProfile>();
  const communeCodes: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const insee = String(1_001 + i * 47).padStart(5, '0');
    communeCodes.push(insee);
    communes.set(insee, { unemploymentBasisPoints: int(300, 2_600) });
  }
  const underservedCommunes = communeCodes.filter(() => chance(150));

  const centres: CentreRoster[] = [];
  const perCentre = Math.ceil(options.patients / options.centres);
  let made = 0;
  for (let c = 0; c < options.centres; c++) {
    const finess = `9${String(c).padStart(7, '0')}1`;
    const membership: DayRange[] = chance(20) ? [{ start: midMonth(), end: OPEN_END }] : [{ start: before(3_000), end: OPEN_END }];
    const home = [
      communeCodes[int(0, communeCodes.length - 1)]!,
      communeCodes[int(0, communeCodes.length - 1)]!,
      communeCodes[int(0, communeCodes.length - 1)]!,
    ];
    const patients: PatientFacts[] = [];
    for (let k = 0; k < perCentre && made < options.patients; k++, made++) {
      let pick = int(0, bandTotal - 1);
      let band = 0;
      while (pick >= AGE_BAND_WEIGHTS[band]!) pick -= AGE_BAND_WEIGHTS[band++]!;
      const age = band * 5 + int(0, 4);
      const birthMonth = int(1, 12);

      let attributed: DayRange[];
      const churn = int(0, 999);
      if (churn < 15) {
        attributed = [{ start: midMonth(), end: OPEN_END }];
        drawn.declaredMidMonth!++;
      } else if (churn < 25) {
        attributed = [{ start: before(2_000), end: midMonth() }];
        drawn.endedMidMonth!++;
      } else if (churn < 30) {
        const change = midMonth();
        attributed = [
          { start: before(2_000), end: change },
          { start: change, end: OPEN_END },
        ];
        drawn.gpChanges!++;
      } else attributed = [{ start: before(3_000), end: OPEN_END }];

      let ald: readonly DayRange[] = NO_RANGES;
      if (chance(ALD_PER_MILLE[band]!)) {
        drawn.ald!++;
        if (chance(15)) {
          ald = [{ start: midMonth(), end: OPEN_END }];
          drawn.aldStartsMidMonth!++;
        } else ald = [{ start: before(4_000), end: OPEN_END }];
      }

      let c2s: readonly DayRange[] = NO_RANGES;
      if (chance(110)) {
        drawn.c2s!++;
        // Yearly entitlements: the renewal day falls anywhere in the year, some inside the month.
        const renewal = start + int(-330, 30);
        c2s = chance(900)
          ? [
              { start: renewal - 365, end: renewal },
              { start: renewal, end: renewal + 365 },
            ]
          : [{ start: renewal - 365, end: renewal }];
        if (renewal > start && renewal < end) drawn.c2sChangesMidMonth!++;
      }

      const prevention = chance(300)
        ? Array.from({ length: int(1, 3) }, () => ({
            indicator: ['vaccination-influenza', 'screening-colorectal-cancer', 'oral-examination', 'diabetes-hba1c-follow-up'][int(0, 3)]!,
            validatedOn: yearStart + int(0, end - yearStart - 1),
          }))
        : [];
      if (prevention.length > 0) drawn.prevention!++;

      const commune = home[int(0, 2)]!;
      const communesOf = chance(3)
        ? [
            { from: before(5_000), insee: commune },
            { from: midMonth(), insee: communeCodes[int(0, communeCodes.length - 1)]! },
          ]
        : [{ from: before(5_000), insee: commune }];
      if (communesOf.length > 1) drawn.moves!++;

      patients.push({
        patientId: `p${String(made).padStart(8, '0')}`,
        birthYear: year - age - (birthMonth > 6 ? 1 : 0),
        birthMonth,
        communes: communesOf,
        ald,
        c2s,
        attributed,
        prevention,
      });
    }
    centres.push({ finess, membership, patients });
  }
  return { centres, communes, underservedCommunes, drawn };
}
