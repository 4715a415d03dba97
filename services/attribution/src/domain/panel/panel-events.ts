import type { IsoDate } from '../iso-date';
import type { EndReason } from '../patient/patient-events';

/**
 * A GP's panel (patientèle médecin traitant), one stream per RPPS across every centre the GP
 * practises at. Each event carries the panel's size after it, so the last event alone tells the
 * count.
 */
export interface PanelPatientJoined {
  readonly type: 'PanelPatientJoined';
  readonly data: {
    readonly rpps: string;
    readonly patientId: string;
    readonly attributionId: string;
    readonly centreFiness: string;
    readonly effectiveDate: IsoDate;
    readonly size: number;
  };
}

export interface PanelPatientLeft {
  readonly type: 'PanelPatientLeft';
  readonly data: {
    readonly rpps: string;
    readonly patientId: string;
    readonly attributionId: string;
    readonly centreFiness: string;
    readonly endDate: IsoDate;
    /** `replaced` when the patient declared another médecin traitant. */
    readonly reason: EndReason | 'replaced';
    readonly size: number;
  };
}

/** A coordinator's capacity for this GP, in place of FTE × norm; `null` returns to the norm. */
export interface PanelCapacitySet {
  readonly type: 'PanelCapacitySet';
  readonly data: { readonly rpps: string; readonly capacity: number | null; readonly reason: string };
}

export type PanelEvent = PanelPatientJoined | PanelPatientLeft | PanelCapacitySet;
