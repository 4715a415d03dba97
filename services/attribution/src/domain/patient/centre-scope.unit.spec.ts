import { NotFoundError, PermissionDeniedError } from '@pcn/eventsourcing';
import { deciderSpec } from '@pcn/eventsourcing/testing';
import { attributionDecider, type AttributionCommand, type AttributionEvent } from '../attribution/attribution-decider';
import { NotTheCentresPatientError, requireVisibleTo } from './centre-scope';
import type { PatientProfile } from './patient-profile';
import { foldPatient, type PatientState } from './patient-state';
import type { PatientEvent } from './patient-events';

const spec = deciderSpec(attributionDecider);
const CENTRE_A = '750000001';
const CENTRE_B = '930000001';
const gpA = { rpps: '10000000018', professionalId: 'pro-a', centreFiness: CENTRE_A };
const profile: PatientProfile = { birthDate: '1950-06-01', sex: 'female', communeInsee: '75111', ald: [], c2s: [] };

const registered: PatientEvent = { type: 'PatientRegistered', data: { patientId: 'p1', profile } };
const declaredAtA: PatientEvent = {
  type: 'MedecinTraitantDeclared',
  data: { patientId: 'p1', attributionId: 'att-1', ...gpA, effectiveDate: '2026-01-10', channel: 'paper_form' },
};
const joinedAtA: AttributionEvent = {
  type: 'PanelPatientJoined',
  data: { rpps: gpA.rpps, patientId: 'p1', attributionId: 'att-1', centreFiness: CENTRE_A, effectiveDate: '2026-01-10', size: 1 },
};
const waiting: PatientEvent = {
  type: 'WaitlistEnrolled',
  data: { patientId: 'p1', waitingSince: '2026-02-01', enrolledBy: { kind: 'coordinator' }, topPriority: false },
};
const proposedAtA: PatientEvent = {
  type: 'ProposalMade',
  data: { patientId: 'p1', proposalId: 'prop-1', ...gpA, distanceKm: 1.5, proposedOn: '2026-03-01' },
};

const end = (actingCentreFiness?: string): AttributionCommand => ({
  type: 'EndAttribution',
  patientId: 'p1',
  endDate: '2026-03-01',
  reason: 'patient_request',
  ...(actingCentreFiness && { actingCentreFiness }),
});
const decline = (actingCentreFiness?: string): AttributionCommand => ({
  type: 'DeclineProposal',
  patientId: 'p1',
  proposalId: 'prop-1',
  reason: 'no room this month',
  ...(actingCentreFiness && { actingCentreFiness }),
});
const declined: PatientEvent = { type: 'ProposalDeclined', data: { patientId: 'p1', proposalId: 'prop-1', reason: 'no room this month' } };

describe('a centre ending an attribution', () => {
  it('ends one at its own centre', () =>
    spec
      .given([registered, declaredAtA, joinedAtA])
      .when(end(CENTRE_A))
      .then([
        {
          type: 'AttributionEnded',
          data: { patientId: 'p1', attributionId: 'att-1', ...gpA, endDate: '2026-03-01', reason: 'patient_request' },
        },
        {
          type: 'PanelPatientLeft',
          data: { rpps: gpA.rpps, patientId: 'p1', attributionId: 'att-1', centreFiness: CENTRE_A, endDate: '2026-03-01', reason: 'patient_request', size: 0 },
        },
      ]));

  it('is refused for a patient of another centre', () =>
    spec
      .given([registered, declaredAtA, joinedAtA])
      .when(end(CENTRE_B))
      .thenThrows({ constructor: NotTheCentresPatientError, centreFiness: CENTRE_B, message: expect.stringContaining('practises at another centre') }));

  it('is refused for a patient without a médecin traitant (not its patient either)', () =>
    spec
      .given([registered])
      .when(end(CENTRE_A))
      .thenThrows({ constructor: NotTheCentresPatientError, subject: { patientId: 'p1' } }));

  it('still answers NOT_FOUND for a patient nobody registered', () => spec.given([]).when(end(CENTRE_A)).thenThrows(NotFoundError));
});

describe('a centre answering a waitlist proposal', () => {
  it('declines one made to it', () => spec.given([registered, waiting, proposedAtA]).when(decline(CENTRE_A)).then([declined]));

  it('is refused on a proposal made to another centre', () =>
    spec
      .given([registered, waiting, proposedAtA])
      .when(decline(CENTRE_B))
      .thenThrows({ constructor: NotTheCentresPatientError, subject: { proposalId: 'prop-1' } }));

  it('is refused on a retry of another centre’s answer too (the proposal is judged, not its state)', () =>
    spec.given([registered, waiting, proposedAtA, declined]).when(decline(CENTRE_B)).thenThrows(PermissionDeniedError));

  it('is refused a confirmation of another centre’s proposal before anything else is checked', () =>
    spec
      .given([registered, waiting, proposedAtA])
      .when({ type: 'ConfirmProposal', patientId: 'p1', proposalId: 'prop-1', today: '2026-03-02', actingCentreFiness: CENTRE_B })
      .thenThrows(NotTheCentresPatientError));

  it('leaves an unknown proposal to NOT_FOUND', () => spec.given([registered, waiting]).when(decline(CENTRE_A)).thenThrows({ constructor: NotFoundError }));

  it('lets a coordinator (no acting centre) answer any', () => spec.given([registered, waiting, proposedAtA]).when(decline()).then([declined]));
});

describe('a centre reading a patient', () => {
  const state = (events: PatientEvent[]): PatientState => foldPatient(events);

  it('sees its own patients and those with a proposal pending at it', () => {
    expect(() => requireVisibleTo(state([registered, declaredAtA]), 'p1', CENTRE_A)).not.toThrow();
    expect(() => requireVisibleTo(state([registered, waiting, proposedAtA]), 'p1', CENTRE_A)).not.toThrow();
  });

  it('does not see another centre’s patient, nor a waiting patient proposed elsewhere', () => {
    expect(() => requireVisibleTo(state([registered, declaredAtA]), 'p1', CENTRE_B)).toThrow(NotTheCentresPatientError);
    expect(() => requireVisibleTo(state([registered, waiting, proposedAtA]), 'p1', CENTRE_B)).toThrow(NotTheCentresPatientError);
  });

  it('leaves callers that are not centres to the gate', () => {
    expect(() => requireVisibleTo(state([registered, declaredAtA]), 'p1', undefined)).not.toThrow();
  });
});
