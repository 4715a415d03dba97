import type { Attributions } from './attributions';
import type { Panels } from './panels';
import type { PatientErasure } from './patient-erasure';
import type { Patients } from './patients';
import type { Reports } from './reports';
import type { Waitlist } from './waitlist';

/** What the transports (gRPC, REST) call. */
export interface AttributionServices {
  readonly patients: Patients;
  readonly attributions: Attributions;
  readonly panels: Panels;
  readonly waitlist: Waitlist;
  readonly reports: Reports;
  readonly erasure: PatientErasure;
}
