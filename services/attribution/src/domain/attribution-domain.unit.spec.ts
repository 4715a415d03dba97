import { AlreadyExistsError, PreconditionFailedError } from '@pcn/eventsourcing';
import { ageOn } from './iso-date';
import { panelCapacity } from './panel/panel-capacity';
import { joinPanel, leavePanel, PanelFullError, setPanelCapacity } from './panel/panel-decisions';
import { evolvePanel, initialPanelState } from './panel/panel-state';
import { declare, declineProposal, endAttribution, enrolOnWaitlist, pendingProposal, propose, registerPatient } from './patient/patient-decisions';
import type { PatientEvent } from './patient/patient-events';
import type { PatientProfile } from './patient/patient-profile';
import { foldPatient, evolvePatient, type PatientState } from './patient/patient-state';
import { matchWaitlist } from './waitlist/matching';
import { byPriority, type WaitingPatient } from './waitlist/priority';

const profile: PatientProfile = { birthDate: '1950-06-01', sex: 'female', communeInsee: '75111', ald: [], c2s: [] };
const gpA = { rpps: '10000000018', professionalId: 'pro-a', centreFiness: '750000001' };
const gpB = { rpps: '10000000026', professionalId: 'pro-b', centreFiness: '750000001' };

function registered(...more: PatientEvent[]): PatientState {
  return foldPatient([...registerPatient(foldPatient([]), 'p1', profile), ...more]);
}
function after(state: PatientState, events: readonly PatientEvent[]): PatientState {
  return events.reduce(evolvePatient, state);
}

describe('patient decisions', () => {
  it('registers once', () => {
    expect(() => registerPatient(registered(), 'p1', profile)).toThrow(AlreadyExistsError);
  });

  it('ends the previous attribution on the new one’s date, and a repeat of the current one changes nothing', () => {
    const first = declare(registered(), 'p1', { ...gpA, attributionId: 'a1', effectiveDate: '2026-01-10', channel: 'paper_form' });
    const s1 = after(registered(), first);
    expect(declare(s1, 'p1', { ...gpA, attributionId: 'a2', effectiveDate: '2026-02-01', channel: 'paper_form' })).toEqual([]);
    const second = declare(s1, 'p1', { ...gpB, attributionId: 'a2', effectiveDate: '2026-02-01', channel: 'teleservice' });
    expect(second[0]!.data.replaces).toEqual({ attributionId: 'a1', ...gpA });
    expect(after(s1, second).current).toMatchObject({ attributionId: 'a2', rpps: gpB.rpps, start: '2026-02-01' });
  });

  it('allows backdating, but never to before the current attribution or the last end', () => {
    const s1 = after(registered(), declare(registered(), 'p1', { ...gpA, attributionId: 'a1', effectiveDate: '2026-01-10', channel: 'paper_form' }));
    expect(() => declare(s1, 'p1', { ...gpB, attributionId: 'a2', effectiveDate: '2026-01-09', channel: 'paper_form' })).toThrow(PreconditionFailedError);
    const ended = after(s1, endAttribution(s1, 'p1', { endDate: '2026-02-01', reason: 'moved_away' }));
    expect(ended.current).toBeUndefined();
    expect(() => declare(ended, 'p1', { ...gpB, attributionId: 'a2', effectiveDate: '2026-01-20', channel: 'paper_form' })).toThrow(/predate/);
  });

  it('refuses everything after a death', () => {
    const s1 = after(registered(), declare(registered(), 'p1', { ...gpA, attributionId: 'a1', effectiveDate: '2026-01-10', channel: 'paper_form' }));
    const dead = after(s1, endAttribution(s1, 'p1', { endDate: '2026-02-01', reason: 'death' }));
    expect(() => declare(dead, 'p1', { ...gpB, attributionId: 'a2', effectiveDate: '2026-02-02', channel: 'paper_form' })).toThrow(/deceased/);
    expect(() => enrolOnWaitlist(dead, 'p1', { since: '2026-02-02', enrolledBy: { kind: 'coordinator' }, topPriority: false })).toThrow(/deceased/);
  });

  it('keeps the waiting date through a declined proposal, and a declaration ends the wait', () => {
    const waiting = after(registered(), enrolOnWaitlist(registered(), 'p1', { since: '2026-01-01', enrolledBy: { kind: 'coordinator' }, topPriority: false }));
    expect(() => enrolOnWaitlist(waiting, 'p1', { since: '2026-02-01', enrolledBy: { kind: 'coordinator' }, topPriority: false })).toThrow(AlreadyExistsError);
    const proposed = after(waiting, propose(waiting, 'p1', { ...gpA, proposalId: 'x1', distanceKm: 2, proposedOn: '2026-02-01' }));
    expect(() => propose(proposed, 'p1', { ...gpB, proposalId: 'x2', distanceKm: 2, proposedOn: '2026-02-01' })).toThrow(/pending/);
    const declined = after(proposed, declineProposal(proposed, 'p1', 'x1', 'panel closed'));
    expect(declined.waitlist).toEqual(waiting.waitlist);
    expect(declineProposal(declined, 'p1', 'x1', 'again')).toEqual([]);
    expect(() => pendingProposal(declined, 'x1', 'confirmed')).toThrow(/declined/);
    const declared = after(declined, declare(declined, 'p1', { ...gpB, attributionId: 'a1', effectiveDate: '2026-02-03', channel: 'paper_form' }));
    expect(declared.waitlist).toBeUndefined();
  });
});

describe('panels', () => {
  it('takes patients up to the capacity and says the count and capacity when full', () => {
    let panel = initialPanelState();
    for (let i = 0; i < 2; i++)
      panel = joinPanel(panel, 'r', 2, { patientId: `p${i}`, attributionId: `a${i}`, centreFiness: 'c', effectiveDate: '2026-01-01' }).reduce(
        evolvePanel,
        panel,
      );
    expect(() => joinPanel(panel, 'r', 2, { patientId: 'p9', attributionId: 'a9', centreFiness: 'c', effectiveDate: '2026-01-01' })).toThrow(
      expect.objectContaining({ constructor: PanelFullError, count: 2, capacity: 2 }),
    );
    panel = leavePanel(panel, 'r', { patientId: 'p0', attributionId: 'a0', centreFiness: 'c', endDate: '2026-02-01', reason: 'moved_away' }).reduce(
      evolvePanel,
      panel,
    );
    expect(panel.size).toBe(1);
  });

  it('computes capacity as FTE × norm per centre type, rounded down, unless a coordinator set it', () => {
    const norms = { national: 1000, byCentreType: { community_participatory: 800 } };
    expect(
      panelCapacity(norms, [
        { fte: 0.3, centreType: 'polyvalent' },
        { fte: 0.5, centreType: 'community_participatory' },
      ]),
    ).toBe(700);
    expect(panelCapacity(norms, [{ fte: 0.3333, centreType: 'polyvalent' }])).toBe(333);
    expect(panelCapacity(norms, [{ fte: 1, centreType: 'polyvalent' }], 50)).toBe(50);
    expect(setPanelCapacity(initialPanelState(), 'r', 50, 'x')).toHaveLength(1);
    expect(() => setPanelCapacity(initialPanelState(), 'r', -1, 'x')).toThrow(/whole number/);
  });
});

/** Equirectangular distance: close enough over a few km, and keeps the domain test free of libraries. */
function flatDistanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const x = (((b.longitude - a.longitude) * Math.PI) / 180) * Math.cos((((a.latitude + b.latitude) / 2) * Math.PI) / 180);
  const y = ((b.latitude - a.latitude) * Math.PI) / 180;
  return Math.sqrt(x * x + y * y) * 6371;
}

describe('waitlist order and matching', () => {
  const base: WaitingPatient = {
    patientId: 'z',
    birthDate: '1990-01-01',
    communeInsee: '75111',
    ald: [],
    c2s: [],
    waitingSince: '2026-01-01',
    topPriority: false,
  };
  const day = '2026-03-02';

  it('puts displaced patients, then ALD, then 70 and over, then C2S, then the longest wait first', () => {
    const patients: WaitingPatient[] = [
      { ...base, patientId: 'wait-long', waitingSince: '2025-01-01' },
      { ...base, patientId: 'c2s', c2s: [{ start: '2025-01-01' }] },
      { ...base, patientId: 'senior', birthDate: '1956-03-02' },
      { ...base, patientId: 'ald', ald: [{ start: '2020-01-01', end: '2030-01-01' }] },
      { ...base, patientId: 'displaced', topPriority: true, waitingSince: '2026-03-01' },
      { ...base, patientId: 'ald-over', ald: [{ start: '2020-01-01', end: '2026-03-02' }] },
    ];
    expect([...patients].sort(byPriority(day)).map((p) => p.patientId)).toEqual(['displaced', 'ald', 'senior', 'c2s', 'wait-long', 'ald-over']);
    expect(ageOn('1956-03-02', day)).toBe(70);
    expect(ageOn('1956-03-03', day)).toBe(69);
  });

  it('gives each patient the nearest GP with room within reach, in priority order', () => {
    const paris11 = { latitude: 48.859, longitude: 2.38 };
    const lyon = { latitude: 45.76, longitude: 4.84 };
    const locate = (c: string) => (c === '75111' ? paris11 : c === '69123' ? lyon : undefined);
    const slots = [
      { rpps: 'near', professionalId: 'n', centreFiness: 'c1', location: { latitude: 48.86, longitude: 2.381 }, spare: 1 },
      { rpps: 'far', professionalId: 'f', centreFiness: 'c2', location: { latitude: 48.9, longitude: 2.3 }, spare: 5 },
    ];
    const result = matchWaitlist(
      [
        { ...base, patientId: 'second' },
        { ...base, patientId: 'declined-far', declinedRpps: ['far'], waitingSince: '2026-02-01' },
        { ...base, patientId: 'first', ald: [{ start: '2020-01-01' }] },
        { ...base, patientId: 'lyon', communeInsee: '69123' },
        { ...base, patientId: 'nowhere', communeInsee: '00000' },
      ],
      locate,
      slots,
      20,
      day,
      flatDistanceKm,
    );
    expect(result.proposals.map((p) => [p.patientId, p.rpps])).toEqual([
      ['first', 'near'],
      ['second', 'far'],
    ]);
    expect(result.unmatched).toEqual([
      { patientId: 'lyon', reason: 'no_gp_in_reach' },
      { patientId: 'nowhere', reason: 'no_location' },
      { patientId: 'declined-far', reason: 'no_gp_in_reach' },
    ]);
  });
});
