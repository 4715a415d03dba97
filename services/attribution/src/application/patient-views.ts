import type { MedecinTraitantDeclared, AttributionEnded, PatientEvent } from '../domain/patient/patient-events';
import type { PatientState } from '../domain/patient/patient-state';
import { requireRegistered } from '../domain/patient/patient-decisions';
import type { AttributionHistoryView, AttributionView, PatientView } from './views';
import type { LoadedPatient } from './patient-commands';
import { replacedEndReason } from '../domain/patient/replaced-end-reason';

export function patientView(loaded: LoadedPatient, patientId: string): PatientView {
  const state = requireRegistered(loaded.state, patientId);
  return {
    patientId,
    ...state.profile,
    deceased: state.deceased,
    ...(state.current && { current: currentView(state) }),
    ...(state.waitlist && { waitlist: { waitingSince: state.waitlist.since, enrolledBy: state.waitlist.enrolledBy, topPriority: state.waitlist.topPriority } }),
    ...(state.pendingProposal && { pendingProposal: { patientId, ...state.pendingProposal } }),
    version: loaded.revision,
  };
}

function currentView(state: PatientState): AttributionView | undefined {
  const c = state.current;
  return (
    c && { attributionId: c.attributionId, rpps: c.rpps, professionalId: c.professionalId, centreFiness: c.centreFiness, start: c.start, channel: c.channel }
  );
}

/** Every attribution of the patient, from the stream itself (the truth, and short). */
export function attributionHistory(loaded: LoadedPatient, patientId: string): AttributionHistoryView {
  requireRegistered(loaded.state, patientId);
  const all: AttributionView[] = [];
  const byId = new Map<string, number>();
  const close = (attributionId: string, end: string, reason: AttributionView['endReason']): void => {
    const i = byId.get(attributionId);
    if (i !== undefined) all[i] = { ...all[i]!, end, ...(reason && { endReason: reason }) };
  };
  for (const event of loaded.events) {
    const e = { type: event.type, data: event.data } as PatientEvent;
    if (e.type === 'MedecinTraitantDeclared') {
      const d = (e as MedecinTraitantDeclared).data;
      if (d.replaces) close(d.replaces.attributionId, d.effectiveDate, replacedEndReason(d));
      byId.set(d.attributionId, all.length);
      all.push({
        attributionId: d.attributionId,
        rpps: d.rpps,
        professionalId: d.professionalId,
        centreFiness: d.centreFiness,
        start: d.effectiveDate,
        channel: d.channel,
      });
    } else if (e.type === 'AttributionEnded') {
      const d = (e as AttributionEnded).data;
      close(d.attributionId, d.endDate, d.reason);
    }
  }
  const current = currentView(loaded.state);
  return { patientId, ...(current && { current }), history: all };
}
