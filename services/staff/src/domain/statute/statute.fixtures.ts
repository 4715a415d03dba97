import type { IndexPointValue } from './index-point';
import type { PhGridVersion } from './pay-grid';
import type { Statute } from './statute';

/*
 * Test fixtures (not exported by the package, never published). The figures are official, but
 * the combination is a test construct: the current PH grid could not be sourced (see
 * docs/statute/sources.md), so the PH code path is exercised on superseded official amounts.
 * - `ph`: annual emoluments of the praticien hospitalier « Montants au 1er octobre 2020 »
 *   (annexe « Émoluments des praticiens hospitaliers », arrêté du 15 juin 2016 as amended, ten
 *   échelons after décret n° 2020-1182); durations of échelons 1 to 9 from article R. 6152-21 of
 *   the code de la santé publique (2 years for échelons 1 to 8, 4 years for échelon 9).
 * - `praticien_attache`: annexe VI « Émoluments des praticiens attachés », montants au 1er juillet
 *   2023 (arrêté du 29 juin 2023, JORFARTI000047774508); durations of article R. 6152-611 CSP
 *   (1 year, then 2 years up to échelon 9, 3 years in échelon 10, 4 years in échelon 11).
 */

const euros = (amount: string): number => Math.round(Number(amount.replace(/\s/g, '').replace(',', '.')) * 100);

const PH_OCT_2020 = ['52 933,33', '55 288,94', '59 159,06', '63 365,55', '65 384,65', '67 740,25', '72 788,12', '75 816,89', '86 194,18', '90 009,89'];
const PH_DURATIONS = [24, 24, 24, 24, 24, 24, 24, 24, 48];

const ATTACHE_JUL_2023 = [
  '31 984,97',
  '33 643,13',
  '36 625,21',
  '41 387,28',
  '44 871,12',
  '47 057,06',
  '50 053,23',
  '52 072,53',
  '52 956,24',
  '54 193,81',
  '55 607,79',
  '58 082,41',
];
const ATTACHE_DURATIONS = [12, 24, 24, 24, 24, 24, 24, 24, 24, 36, 48];

export const PH_FIXTURE: PhGridVersion = {
  id: 'ph-fixture-2020-10-01',
  kind: 'ph',
  effectiveFrom: '2020-10-01',
  sources: [
    {
      title:
        'Arrêté du 15 juin 2016 relatif aux émoluments, rémunérations ou indemnités des personnels médicaux, pharmaceutiques et odontologiques, annexe « Émoluments des praticiens hospitaliers », montants au 1er octobre 2020',
      reference: 'test fixture — superseded official amounts',
      url: 'https://www.legifrance.gouv.fr/loda/id/JORFTEXT000032795945',
    },
  ],
  grades: {
    ph: {
      label: 'Praticien hospitalier (fixture: montants au 1er octobre 2020)',
      echelons: PH_OCT_2020.map((amount, i) => ({
        echelon: i + 1,
        annualGrossCents: euros(amount),
        ...(i < PH_DURATIONS.length ? { durationMonths: PH_DURATIONS[i]! } : {}),
      })),
    },
    praticien_attache: {
      label: 'Praticien attaché (fixture: montants au 1er juillet 2023)',
      echelons: ATTACHE_JUL_2023.map((amount, i) => ({
        echelon: i + 1,
        annualGrossCents: euros(amount),
        ...(i < ATTACHE_DURATIONS.length ? { durationMonths: ATTACHE_DURATIONS[i]! } : {}),
      })),
    },
  },
};

/** The two published index-point values (same figures as data/index-point). */
export const POINT_2022: IndexPointValue = {
  effectiveFrom: '2022-07-01',
  annualCentsPer100Points: 582004,
  source: { title: 'Décret n° 2022-994 du 7 juillet 2022', reference: 'IM 100 = 5 820,04 €', url: 'https://cdg68.fr/' },
};
export const POINT_2023: IndexPointValue = {
  effectiveFrom: '2023-07-01',
  annualCentsPer100Points: 590734,
  source: { title: 'Décret n° 2023-519 du 28 juin 2023', reference: 'IM 100 = 5 907,34 €', url: 'https://cdg68.fr/' },
};

export const PH_STATUTE: Statute = { gridVersions: [PH_FIXTURE], indexPointValues: [POINT_2022, POINT_2023] };
