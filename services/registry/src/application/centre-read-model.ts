import type { CentreStatus, CentreType } from '../domain/centre';
import type { CentreView } from './centre-view';

export interface CentreFilter {
  readonly departement?: string;
  readonly region?: string;
  readonly status?: CentreStatus;
  readonly type?: CentreType;
}

export interface CentrePage {
  readonly centres: readonly CentreView[];
  readonly nextPageToken?: string;
  readonly totalSize: number;
}

/** Query side of the registry, fed by the centres projection. */
export interface CentreReadModel {
  get(finess: string, day: string): Promise<CentreView | undefined>;
  /** `page.token`: opaque token from a previous page; a forged one is a ValidationError. */
  list(filter: CentreFilter, page: { size: number; token?: string }, day: string): Promise<CentrePage>;
  /** Resolves once the read model includes the event at `position` (read-your-writes). */
  waitFor(position: number, timeoutMs: number): Promise<void>;
}
