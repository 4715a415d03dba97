/** Stream names of the attribution service's log. */
export const PATIENT_PREFIX = 'patient-';
export const PANEL_PREFIX = 'panel-';
export const DEPARTURE_PREFIX = 'departure-';

export const patientStream = (patientId: string): string => `${PATIENT_PREFIX}${patientId}`;
export const panelStream = (rpps: string): string => `${PANEL_PREFIX}${rpps}`;
export const departureStream = (departureId: string): string => `${DEPARTURE_PREFIX}${departureId}`;
