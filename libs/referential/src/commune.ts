import type { Coordinates } from './coordinates';
import type { InseeCode } from './insee-code';

/** `arrondissement`: municipal arrondissement of Paris, Lyon or Marseille. */
export type CommuneKind = 'commune' | 'arrondissement';

/** One place of the Code officiel géographique, with its census figures. */
export interface Commune {
  readonly insee: InseeCode;
  readonly kind: CommuneKind;
  /** For an arrondissement: the INSEE code of its commune (75056, 69123, 13055). */
  readonly parent?: InseeCode;
  /** Official name, with its article ("L'Abergement-Clémenciat"). */
  readonly name: string;
  /** Département code (01–95, 2A, 2B, 971–976). */
  readonly departement: string;
  /** Région code (01–06 overseas, 11–94 metropolitan). */
  readonly region: string;
  /** WGS-84 centroid; absent when unknown (never 0, 0). */
  readonly coordinates?: Coordinates;
  /** Surface in km²; absent when the source gives none (the 17 communes of Mayotte). */
  readonly areaKm2?: number;
  /** Municipal population, 2021 census. */
  readonly population: number;
  /** Unemployed people aged 15–64, 2021 census. */
  readonly unemployed: number;
  /** Active people aged 15–64, 2021 census. */
  readonly active: number;
  /**
   * Only on Paris, Marseille and Lyon, which the data file describes through their arrondissements:
   * the arrondissements the commune's figures were summed from.
   */
  readonly arrondissements?: readonly InseeCode[];
}

/** A commune found by a radius search, with its great-circle distance from the search centre. */
export interface CommuneDistance {
  readonly commune: Commune;
  readonly distanceKm: number;
}
