import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import { CommuneDirectory, completeFiness, completeRpps, nirKey, type Commune } from '@pcn/referential';
import { dayOf } from '@pcn/time';

/**
 * A synthetic national population for benchmarks and trials at scale: patients living in the
 * communes of the reference data in proportion to their 2021 census population, with French age
 * and sex shares, ALD and C2S in about the national proportions, and a médecin traitant at a
 * centre of their département whose panel stays within capacity. Deterministic: the same
 * options and seed give the same lines, byte for byte.
 */
export interface PopulationOptions {
  readonly patients: number;
  readonly seed: number;
  /** The day the population is drawn on: ages, declarations and periods are before it. */
  readonly asOf: string;
  /** Patients per full-time GP's panel capacity (the service's national norm). */
  readonly panelNorm?: number;
  /** Share of that capacity the generated panels fill on average (room left for the API). */
  readonly fill?: number;
  /** Restrict to these départements (codes as in the reference data: 75, 2A, 971); all when empty. */
  readonly departements?: readonly string[];
}

export interface SyntheticCentre {
  readonly finess: string;
  readonly name: string;
  readonly communeInsee: string;
  readonly departement: string;
  readonly region: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

export interface SyntheticGp {
  readonly rpps: string;
  readonly professionalId: string;
  readonly assignmentId: string;
  readonly centreFiness: string;
  readonly fte: number;
  readonly startOn: string;
}

/** One line of the import file (IMPORT_COLUMNS of @pcn/attribution). */
export interface SyntheticPatient {
  readonly nir: string;
  readonly birth_date: string;
  readonly sex: 'female' | 'male';
  readonly commune_insee: string;
  readonly ald: string;
  readonly c2s: string;
  readonly rpps: string;
  readonly centre_finess: string;
  readonly effective_date: string;
  readonly channel: 'paper_form' | 'teleservice' | 'centre_software';
}

export interface Population {
  readonly centres: readonly SyntheticCentre[];
  readonly gps: readonly SyntheticGp[];
  patients(): Generator<SyntheticPatient>;
}

/** Age bands (years, upper bound excluded) and their share of the population (INSEE, 2024 pyramid, rounded). */
const AGE_BANDS: readonly (readonly [from: number, to: number, share: number])[] = [
  [0, 15, 0.172],
  [15, 30, 0.172],
  [30, 45, 0.186],
  [45, 60, 0.193],
  [60, 75, 0.177],
  [75, 100, 0.1],
];
/** Share of each band with an ALD: rises with age; about 20 % overall (Assurance maladie). */
const ALD_BY_BAND = [0.03, 0.05, 0.11, 0.21, 0.38, 0.58];
/** Share of each band covered by the C2S: highest among children and young adults; about 11 % overall. */
const C2S_BY_BAND = [0.17, 0.15, 0.12, 0.1, 0.07, 0.05];
const FEMALE_SHARE = 0.516;
/** Full-time equivalents of GPs, in the shares drawn. */
const FTES = [1, 1, 1, 0.8, 0.8, 0.6, 0.5];
/** GPs per generated centre. */
const GPS_PER_CENTRE = 6;
const STARTED_ON = '2015-01-05';
const DAY_MS = 86_400_000;

export function syntheticPopulation(options: PopulationOptions): Population {
  const norm = options.panelNorm ?? 1200;
  const fill = options.fill ?? 0.8;
  const wanted = new Set(options.departements ?? []);
  const places = CommuneDirectory.shared()
    .all()
    // Paris, Lyon and Marseille are described by their arrondissements, where people are registered.
    .filter((c) => c.population > 0 && !c.arrondissements && (wanted.size === 0 || wanted.has(c.departement)));
  if (places.length === 0) throw new Error(`no commune of the reference data in ${[...wanted].join(', ')}`);
  const total = places.reduce((sum, c) => sum + c.population, 0);
  const rng = xoroshiro128plus(options.seed);

  // Centres and GPs per département, sized for the patients it is expected to hold.
  const byDepartement = new Map<string, Commune[]>();
  for (const c of places) byDepartement.set(c.departement, [...(byDepartement.get(c.departement) ?? []), c]);
  const centres: SyntheticCentre[] = [];
  const gps: SyntheticGp[] = [];
  const gpsOf = new Map<string, { gp: SyntheticGp; capacity: number; size: number }[]>();
  let gpCount = 0;
  for (const [departement, communes] of [...byDepartement].sort(([a], [b]) => a.localeCompare(b))) {
    const population = communes.reduce((sum, c) => sum + c.population, 0);
    const expected = (options.patients * population) / total;
    // A margin over the mean: the draws fluctuate, and a panel must never overflow.
    const needed = (expected + 4 * Math.sqrt(expected) + 1) / fill;
    const list: { gp: SyntheticGp; capacity: number; size: number }[] = [];
    const biggest = [...communes].sort((a, b) => b.population - a.population || a.insee.localeCompare(b.insee));
    for (let k = 0, capacity = 0; capacity < needed; k++) {
      if (k % GPS_PER_CENTRE === 0) {
        const commune = biggest[Math.floor(k / GPS_PER_CENTRE) % biggest.length]!;
        const n = centres.length;
        centres.push({
          finess: finessOf(departement, n),
          name: `Centre de santé ${commune.name} ${Math.floor(k / GPS_PER_CENTRE) + 1}`,
          communeInsee: commune.insee,
          departement,
          region: commune.region,
          ...(commune.coordinates && { latitude: commune.coordinates.latitude, longitude: commune.coordinates.longitude }),
        });
      }
      const id = ++gpCount;
      const gp: SyntheticGp = {
        rpps: rppsOf(id),
        professionalId: `synthetic-professional-${id}`,
        assignmentId: `synthetic-assignment-${id}`,
        centreFiness: centres[centres.length - 1]!.finess,
        fte: FTES[int(rng, 0, FTES.length - 1)]!,
        startOn: STARTED_ON,
      };
      gps.push(gp);
      list.push({ gp, capacity: Math.floor(gp.fte * norm), size: 0 });
      capacity += Math.floor(gp.fte * norm);
    }
    gpsOf.set(departement, list);
  }

  const cumulative = new Float64Array(places.length);
  let running = 0;
  places.forEach((c, i) => (cumulative[i] = running += c.population));
  const asOf = Date.parse(`${options.asOf}T00:00:00Z`);

  function* patients(): Generator<SyntheticPatient> {
    // Each call draws the same lines again: its own generator, its own panel counts.
    const rng = xoroshiro128plus(options.seed ^ 0x5eed);
    for (const list of gpsOf.values()) for (const panel of list) panel.size = 0;
    // NIR order numbers per birth place, sex, year and month: each NIR is drawn once.
    const orders = new Map<string, number>();
    for (let i = 0; i < options.patients; i++) {
      const place = places[search(cumulative, unit(rng) * total)]!;
      const band = pickBand(unit(rng));
      const [from, to] = AGE_BANDS[band]!;
      const birth = new Date(asOf - Math.floor((from + unit(rng) * (to - from)) * 365.25 * DAY_MS) - DAY_MS);
      const birthDate = dayOf(birth);
      const sex = unit(rng) < FEMALE_SHARE ? 'female' : 'male';
      const nir = drawNir(orders, sex, birthDate, place, places, rng);
      const ald = unit(rng) < ALD_BY_BAND[band]! ? `${dayOf(laterThan(birth, asOf, rng))}/` : '';
      const c2s = unit(rng) < C2S_BY_BAND[band]! ? c2sPeriod(birth, asOf, rng) : '';
      const panels = gpsOf.get(place.departement)!;
      const drawn = leastFilled(panels, rng);
      const panel = drawn.size < drawn.capacity ? drawn : panels.find((p) => p.size < p.capacity);
      if (!panel) throw new Error(`the GPs of département ${place.departement} are full: generate with a lower fill`);
      panel.size++;
      // Declared some day in the last five years, never before birth.
      const declared = Math.max(birth.getTime(), asOf - int(rng, 1, 5 * 365) * DAY_MS);
      yield {
        nir,
        birth_date: birthDate,
        sex,
        commune_insee: place.insee,
        ald,
        c2s,
        rpps: panel.gp.rpps,
        centre_finess: panel.gp.centreFiness,
        effective_date: dayOf(new Date(declared)),
        channel: (['paper_form', 'teleservice', 'centre_software'] as const)[int(rng, 0, 2)]!,
      };
    }
  }

  return { centres, gps, patients };
}

const int = (rng: RandomGenerator, from: number, to: number): number => unsafeUniformIntDistribution(from, to, rng);
const unit = (rng: RandomGenerator): number => unsafeUniformIntDistribution(0, 0x3fffffff, rng) / 0x40000000;

function search(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function pickBand(x: number): number {
  let acc = 0;
  for (const [i, [, , share]] of AGE_BANDS.entries()) {
    acc += share;
    if (x < acc) return i;
  }
  return AGE_BANDS.length - 1;
}

/** Two GPs of the département drawn at random, the emptier one taken: panels fill evenly. */
function leastFilled<T extends { size: number; capacity: number }>(list: readonly T[], rng: RandomGenerator): T {
  const a = list[int(rng, 0, list.length - 1)]!;
  const b = list[int(rng, 0, list.length - 1)]!;
  return a.size / a.capacity <= b.size / b.capacity ? a : b;
}

/** A day after birth and before `asOf` (the start of an ALD). */
function laterThan(birth: Date, asOf: number, rng: RandomGenerator): Date {
  return new Date(birth.getTime() + Math.floor(unit(rng) * (asOf - birth.getTime())));
}

/** A C2S period: open (still covered) two times in three, else a past year. */
function c2sPeriod(birth: Date, asOf: number, rng: RandomGenerator): string {
  const start = laterThan(birth, asOf, rng);
  if (unit(rng) < 2 / 3) return `${dayOf(start)}/`;
  const end = new Date(Math.min(start.getTime() + 365 * DAY_MS, asOf));
  return end.getTime() > start.getTime() ? `${dayOf(start)}/${dayOf(end)}` : `${dayOf(start)}/`;
}

/**
 * A NIR agreeing with sex and birth date, born in the commune of residence (or, once its 999
 * order numbers for that month are taken, in another commune drawn from the population).
 */
function drawNir(
  orders: Map<string, number>,
  sex: 'female' | 'male',
  birthDate: string,
  place: Commune,
  places: readonly Commune[],
  rng: RandomGenerator,
): string {
  for (let at = place; ; at = places[int(rng, 0, places.length - 1)]!) {
    const prefix = `${sex === 'female' ? '2' : '1'}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${at.insee}`;
    const order = (orders.get(prefix) ?? 0) + 1;
    if (order > 999) continue;
    orders.set(prefix, order);
    const first13 = `${prefix}${String(order).padStart(3, '0')}`;
    return `${first13}${String(nirKey(first13)).padStart(2, '0')}`;
  }
}

/** Overseas FINESS prefixes: 9701 Guadeloupe … 9704 La Réunion, 9805 Mayotte. */
const OVERSEAS_FINESS: Readonly<Record<string, string>> = { '971': '9701', '972': '9702', '973': '9703', '974': '9704', '976': '9805' };

/** FINESS of the n-th generated centre: its département's prefix, then the number. */
function finessOf(departement: string, n: number): string {
  const prefix = OVERSEAS_FINESS[departement] ?? departement;
  const first8 = `${prefix}${String(n)
    .padStart(8 - prefix.length, '0')
    .slice(-(8 - prefix.length))}`;
  return completeFiness(first8);
}

function rppsOf(n: number): string {
  const first10 = `19${String(n).padStart(8, '0')}`;
  return completeRpps(first10);
}
