import { PermissionDeniedError } from '@pcn/eventsourcing';
import type { PatientState } from './patient-state';

/*
 * A centre acts on its own patients only (issue 13): the gate cannot see whose patient a call
 * names, so the policy table leaves these operations to the application (`{ by: 'application' }`)
 * and the rules below decide from the patient's stream. `centreFiness` is the FINESS of the
 * calling centre, undefined when the caller is not a centre (the gate already checked its role).
 */

/** A centre named a patient or a proposal that is not its own: 403 / PERMISSION_DENIED, nothing written. */
export class NotTheCentresPatientError extends PermissionDeniedError {
  constructor(
    readonly centreFiness: string,
    readonly subject: { readonly patientId: string } | { readonly proposalId: string },
    reason: string,
  ) {
    super(`centre ${centreFiness} may not act on ${'patientId' in subject ? `patient ${subject.patientId}` : `proposal ${subject.proposalId}`}: ${reason}`);
  }
}

/** Ending an attribution: the patient's current médecin traitant must practise at the calling centre. */
export function requireAttributedAt(state: PatientState, patientId: string, centreFiness: string | undefined): void {
  if (centreFiness === undefined || state.current?.centreFiness === centreFiness) return;
  throw new NotTheCentresPatientError(centreFiness, { patientId }, elsewhere(state));
}

/**
 * Reading a patient or their attributions: the patient's current médecin traitant practises at
 * the calling centre, or a proposal awaits the centre's answer (it must see whom it is offered).
 */
export function requireVisibleTo(state: PatientState, patientId: string, centreFiness: string | undefined): void {
  if (centreFiness === undefined) return;
  if (state.current?.centreFiness === centreFiness || state.pendingProposal?.centreFiness === centreFiness) return;
  throw new NotTheCentresPatientError(centreFiness, { patientId }, elsewhere(state));
}

/** Why the patient is not the calling centre's (the other centre is not named: it is none of the caller's business). */
const elsewhere = (state: PatientState): string =>
  state.current !== undefined ? 'the patient’s médecin traitant practises at another centre' : 'the patient has no médecin traitant at this centre';

/** Confirming or declining a proposal: it went to the calling centre (answered or not, so a retry is judged the same). */
export function requireProposalOf(state: PatientState, proposalId: string, centreFiness: string | undefined): void {
  if (centreFiness === undefined) return;
  const to = state.proposalCentres.get(proposalId);
  // An unknown proposal is left to the decision, which answers NOT_FOUND.
  if (to === undefined || to === centreFiness) return;
  throw new NotTheCentresPatientError(centreFiness, { proposalId }, 'the proposal went to another centre');
}
