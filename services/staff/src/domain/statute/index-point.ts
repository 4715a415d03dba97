import type { IsoDate } from '@pcn/time';
import type { SourceRef } from './pay-grid';

/**
 * The value of the point d'indice, as the decrees state it: the annual gross traitement of
 * indice majoré 100. It is kept in cents for 100 points (5 907,34 € → 590 734) because the value
 * of a single point (59,0734 €) is not a whole number of cents; multiplying by 100 points keeps
 * every computation in exact integers.
 */
export interface IndexPointValue {
  readonly effectiveFrom: IsoDate;
  /** Annual gross traitement of indice majoré 100, in cents. */
  readonly annualCentsPer100Points: number;
  readonly source: SourceRef;
}
