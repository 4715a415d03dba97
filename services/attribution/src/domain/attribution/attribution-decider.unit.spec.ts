import { PreconditionFailedError } from '@pcn/eventsourcing';
import { deciderSpec } from '@pcn/eventsourcing/testing';
import type { GpFacts } from '../gp/gp-eligibility';
import { PanelFullError } from '../panel/panel-decisions';
import type { PatientProfile } from '../patient/patient-profile';
import { initialPatientState } from '../patient/patient-state';
import { attributionDecider, byStream, panelsRead, type AttributionCommand, type AttributionEvent } from './attribution-decider';

const spec = deciderSpec(attributionDecider);
const TODAY = '2026-03-10';
const CENTRE = '750000001';
const OTHER_CENTRE = '750000002';
const gpA = { rpps: '10000000018', professionalId: 'pro-a', centreFiness: CENTRE };
const gpB = { rpps: '10000000026', professionalId: 'pro-b', centreFiness: CENTRE };
const profile: PatientProfile = { birthDate: '1950-06-01', sex: 'female', communeInsee: '75111', ald: [], c2s: [] };
const memberCentre = { finess: CENTRE, type: 'polyvalent', status: 'member' as const, memberSince: '2025-01-01' };

/** A GP assigned full time at the member centre since 2025, under a norm of 2 patients per FTE. */
function facts(gp: { rpps: string; professionalId: string }, more: Partial<GpFacts> = {}): GpFacts {
  return {
    centre: memberCentre,
    assignments: [{ ...gp, centreFiness: CENTRE, fte: 1, startOn: '2025-01-01' }],
    centres: [memberCentre],
    norms: { national: 2, byCentreType: {} },
    ...more,
  };
}

const registered: AttributionEvent = { type: 'PatientRegistered', data: { patientId: 'p1', profile } };
const declareTo = (gp: typeof gpA, more: Partial<Extract<AttributionCommand, { type: 'DeclareMedecinTraitant' }>> = {}): AttributionCommand => ({
  type: 'DeclareMedecinTraitant',
  patientId: 'p1',
  rpps: gp.rpps,
  centreFiness: CENTRE,
  effectiveDate: '2026-03-01',
  channel: 'paper_form',
  attributionId: 'att-new',
  facts: facts(gp),
  today: TODAY,
  ...more,
});
const declared = (gp: typeof gpA, attributionId: string, effectiveDate: string): AttributionEvent => ({
  type: 'MedecinTraitantDeclared',
  data: { patientId: 'p1', attributionId, ...gp, effectiveDate, channel: 'paper_form' },
});
const joined = (gp: typeof gpA, patientId: string, attributionId: string, size: number, effectiveDate = '2026-03-01'): AttributionEvent => ({
  type: 'PanelPatientJoined',
  data: { rpps: gp.rpps, patientId, attributionId, centreFiness: CENTRE, effectiveDate, size },
});

describe('a declaration of médecin traitant', () => {
  it('records the declaration and the patient joining the GP’s panel', () =>
    spec
      .given([registered])
      .when(declareTo(gpA))
      .then([declared(gpA, 'att-new', '2026-03-01'), joined(gpA, 'p1', 'att-new', 1)]));

  it('moves the patient from the previous GP’s panel to the new one, ending the previous attribution on the new one’s date', () =>
    spec
      .given([registered, declared(gpA, 'att-1', '2026-01-10'), joined(gpA, 'p1', 'att-1', 1, '2026-01-10')])
      .when(declareTo(gpB))
      .then([
        {
          type: 'MedecinTraitantDeclared',
          data: {
            patientId: 'p1',
            attributionId: 'att-new',
            ...gpB,
            effectiveDate: '2026-03-01',
            channel: 'paper_form',
            replaces: { attributionId: 'att-1', ...gpA },
          },
        },
        joined(gpB, 'p1', 'att-new', 1),
        {
          type: 'PanelPatientLeft',
          data: { rpps: gpA.rpps, patientId: 'p1', attributionId: 'att-1', centreFiness: CENTRE, endDate: '2026-03-01', reason: 'replaced', size: 0 },
        },
      ]));

  it('refuses a full panel (capacity: FTE × norm), naming the figures', () =>
    spec
      .given([registered, joined(gpA, 'p2', 'att-2', 1), joined(gpA, 'p3', 'att-3', 2)])
      .when(declareTo(gpA))
      .thenThrows({ rpps: gpA.rpps, count: 2, capacity: 2, constructor: PanelFullError }));

  it('follows a coordinator’s capacity on the panel over the norms', () =>
    spec
      .given([
        registered,
        joined(gpA, 'p2', 'att-2', 1),
        joined(gpA, 'p3', 'att-3', 2),
        { type: 'PanelCapacitySet', data: { rpps: gpA.rpps, capacity: 3, reason: 'extra sessions' } },
      ])
      .when(declareTo(gpA))
      .then([declared(gpA, 'att-new', '2026-03-01'), joined(gpA, 'p1', 'att-new', 3)]));

  it('sends each event to its stream: the patient’s, and each panel’s by RPPS', () => {
    const split = byStream([declared(gpA, 'a', '2026-03-01'), joined(gpA, 'p1', 'a', 1)]);
    expect(split.events.map((e) => e.type)).toEqual(['MedecinTraitantDeclared']);
    expect([...split.related!.keys()]).toEqual([gpA.rpps]);
  });

  it('reads the named GP’s panel and the current one’s', () => {
    const state = [registered, declared(gpA, 'att-1', '2026-01-10')].reduce(attributionDecider.evolve, attributionDecider.initialState());
    expect(panelsRead(declareTo(gpB), state.patient)).toEqual([gpB.rpps, gpA.rpps]);
  });
});

describe('the GP’s eligibility, checked before anything about the patient', () => {
  it('refuses a centre attribution has not heard of', () =>
    spec
      .given([])
      .when(declareTo(gpA, { facts: facts(gpA, { centre: undefined }) }))
      .thenThrows({ constructor: PreconditionFailedError, message: expect.stringContaining('not known to the attribution service') }));

  it('refuses a declaration dated before the centre’s membership', () =>
    spec
      .given([registered])
      .when(declareTo(gpA, { facts: facts(gpA, { centre: { ...memberCentre, memberSince: '2026-03-05' } }) }))
      .thenThrows({ violations: [{ subject: 'effectiveDate', description: expect.stringContaining('2026-03-05') }] }));

  it('refuses a closed centre', () =>
    spec
      .given([registered])
      .when(declareTo(gpA, { facts: facts(gpA, { centre: { ...memberCentre, closedOn: '2026-02-01' } }) }))
      .thenThrows({ message: expect.stringContaining('closed from 2026-02-01') }));

  it('refuses a practitioner with no assignment at the centre', () =>
    spec
      .given([registered])
      .when(declareTo(gpA, { facts: facts(gpA, { assignments: [{ ...gpA, centreFiness: OTHER_CENTRE, fte: 1, startOn: '2025-01-01' }] }) }))
      .thenThrows({ message: expect.stringContaining(`not a GP assigned to centre ${CENTRE}`) }));

  it('refuses a GP who has left the centre by today', () =>
    spec
      .given([registered])
      .when(declareTo(gpA, { facts: facts(gpA, { assignments: [{ ...gpA, fte: 1, startOn: '2025-01-01', endOn: '2026-03-05' }] }) }))
      .thenThrows({ message: expect.stringContaining('left centre') }));

  it('counts only the assignments running today in the capacity (half time: one place under a norm of 2)', () =>
    spec
      .given([registered, joined(gpA, 'p2', 'att-2', 1)])
      .when(
        declareTo(gpA, {
          facts: facts(gpA, {
            assignments: [
              { ...gpA, fte: 0.5, startOn: '2025-01-01' },
              { ...gpA, centreFiness: OTHER_CENTRE, fte: 0.5, startOn: '2024-01-01', endOn: '2025-01-01' },
            ],
          }),
        }),
      )
      .thenThrows(PanelFullError));
});

describe('a departure', () => {
  const step = { patientId: 'p1', departedAttributionId: 'att-1', departureId: 'assignment-x', endDate: '2026-03-01' };
  const atGpA = [registered, declared(gpA, 'att-1', '2026-01-10'), joined(gpA, 'p1', 'att-1', 1, '2026-01-10')];

  it('leaves alone a patient whose attribution is no longer the departed one', () =>
    spec
      .given([registered, declared(gpB, 'att-9', '2026-02-01')])
      .when({ type: 'ReattributeOnDeparture', ...step, colleague: gpB, attributionId: 'att-new', normCapacity: 5 })
      .then([]));

  it('ends the attribution, frees the place and puts the patient first in line when nobody can take them', () =>
    spec
      .given(atGpA)
      .when({ type: 'WaitlistOnDeparture', ...step, reason: 'practitioner_departed' })
      .then([
        {
          type: 'AttributionEnded',
          data: { patientId: 'p1', attributionId: 'att-1', ...gpA, endDate: '2026-03-01', reason: 'practitioner_departed', departureId: 'assignment-x' },
        },
        {
          type: 'PanelPatientLeft',
          data: {
            rpps: gpA.rpps,
            patientId: 'p1',
            attributionId: 'att-1',
            centreFiness: CENTRE,
            endDate: '2026-03-01',
            reason: 'practitioner_departed',
            size: 0,
          },
        },
        {
          type: 'WaitlistEnrolled',
          data: { patientId: 'p1', waitingSince: '2026-03-01', enrolledBy: { kind: 'departure', departureId: 'assignment-x' }, topPriority: true },
        },
      ]));
});

describe('an erasure', () => {
  it('ends the current attribution at the patient’s request and gives the GP’s panel the place back', () =>
    spec
      .given([registered, declared(gpA, 'att-1', '2026-01-10'), joined(gpA, 'p1', 'att-1', 1, '2026-01-10')])
      .when({ type: 'ErasePatient', patientId: 'p1', on: TODAY })
      .then([
        { type: 'AttributionEnded', data: { patientId: 'p1', attributionId: 'att-1', ...gpA, endDate: TODAY, reason: 'patient_request' } },
        {
          type: 'PanelPatientLeft',
          data: { rpps: gpA.rpps, patientId: 'p1', attributionId: 'att-1', centreFiness: CENTRE, endDate: TODAY, reason: 'patient_request', size: 0 },
        },
        { type: 'PatientErased', data: { patientId: 'p1', erasedOn: TODAY } },
      ]));

  it('erases a patient without a médecin traitant, and reads no panel', () => {
    spec
      .given([registered])
      .when({ type: 'ErasePatient', patientId: 'p1', on: TODAY })
      .then([{ type: 'PatientErased', data: { patientId: 'p1', erasedOn: TODAY } }]);
    expect(panelsRead({ type: 'ErasePatient', patientId: 'p1', on: TODAY }, initialPatientState())).toEqual([]);
  });

  it('appends nothing when the patient is already erased', () =>
    spec
      .given([registered, { type: 'PatientErased', data: { patientId: 'p1', erasedOn: '2026-03-01' } }])
      .when({ type: 'ErasePatient', patientId: 'p1', on: TODAY })
      .then([]));
});
