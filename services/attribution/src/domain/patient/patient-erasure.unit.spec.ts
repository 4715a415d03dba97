import { AlreadyExistsError, NotFoundError } from '@pcn/eventsourcing';
import { declare, enrolOnWaitlist, registerPatient, requireRegistered } from './patient-decisions';
import { erasePatient } from './patient-erasure';
import type { PatientEvent } from './patient-events';
import type { PatientProfile } from './patient-profile';
import { foldPatient } from './patient-state';

const profile: PatientProfile = { birthDate: '1950-06-01', sex: 'female', communeInsee: '75111', ald: [{ start: '2010-01-01' }], c2s: [] };
const gp = { rpps: '10000000018', professionalId: 'pro-a', centreFiness: '750000001' };

/** Given these events of patient p1, when erased on 2026-03-02, then... */
function given(...events: (PatientEvent[] | ((state: ReturnType<typeof foldPatient>) => PatientEvent[]))[]): PatientEvent[] {
  return events.reduce<PatientEvent[]>((all, e) => [...all, ...(typeof e === 'function' ? e(foldPatient(all)) : e)], []);
}
const registered = (s: ReturnType<typeof foldPatient>) => registerPatient(s, 'p1', profile);

describe('erasePatient', () => {
  it('ends the current attribution at the patient’s request, then erases', () => {
    const history = given(registered, (s) => declare(s, 'p1', { ...gp, attributionId: 'a1', effectiveDate: '2026-01-10', channel: 'paper_form' }));
    const events = erasePatient(foldPatient(history), 'p1', '2026-03-02');
    expect(events).toEqual([
      { type: 'AttributionEnded', data: { patientId: 'p1', attributionId: 'a1', ...gp, endDate: '2026-03-02', reason: 'patient_request' } },
      { type: 'PatientErased', data: { patientId: 'p1', erasedOn: '2026-03-02' } },
    ]);
    const erased = foldPatient([...history, ...events]);
    expect(erased).toMatchObject({ patientId: 'p1', erased: '2026-03-02' });
    expect(erased.profile).toBeUndefined();
    expect(erased.current).toBeUndefined();
  });

  it('takes a waiting patient off the waitlist, and then no command finds them', () => {
    const history = given(registered, (s) => enrolOnWaitlist(s, 'p1', { since: '2026-02-01', enrolledBy: { kind: 'coordinator' }, topPriority: false }));
    const events = erasePatient(foldPatient(history), 'p1', '2026-03-02');
    expect(events.map((e) => e.type)).toEqual(['PatientErased']);
    const erased = foldPatient([...history, ...events]);
    expect(erased.waitlist).toBeUndefined();
    expect(() => requireRegistered(erased, 'p1')).toThrow(NotFoundError);
    expect(() => registerPatient(erased, 'p1', profile)).toThrow(AlreadyExistsError);
  });

  it('changes nothing when the patient is already erased, and does not find a patient never registered', () => {
    const history = given(registered, (s) => erasePatient(s, 'p1', '2026-03-01'));
    expect(erasePatient(foldPatient(history), 'p1', '2026-03-02')).toEqual([]);
    expect(() => erasePatient(foldPatient([]), 'p1', '2026-03-02')).toThrow(NotFoundError);
  });

  it('folds the redacted registration a destroyed key leaves: no profile', () => {
    const redacted = { type: 'PatientRegistered', data: { patientId: 'p1', $redacted: ['profile'] } } as unknown as PatientEvent;
    const state = foldPatient([redacted, { type: 'PatientErased', data: { patientId: 'p1', erasedOn: '2026-03-01' } }]);
    expect(state).toMatchObject({ patientId: 'p1', erased: '2026-03-01' });
    expect(state.profile).toBeUndefined();
  });
});
