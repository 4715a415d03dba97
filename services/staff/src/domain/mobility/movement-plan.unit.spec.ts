import { AlreadyExistsError } from '@pcn/eventsourcing';
import { professionalDecider } from '../professional/professional-decider';
import type { ProfessionalCommand } from '../professional/professional-commands';
import type { ProfessionalEvent } from '../professional/professional-events';
import { assignmentsOn, fteOn, type Professional, type ProfessionalState } from '../professional/professional-state';
import { vacancyDecider } from '../vacancy/vacancy-decider';
import type { VacancyEvent } from '../vacancy/vacancy-events';
import type { VacancyState } from '../vacancy/vacancy-state';
import type { MobilityApproved, MobilityTerms } from './mobility-events';
import { movementPlan } from './movement-plan';

const MOB = 'mob-7f3a';
const PRO = 'pro-b7e1';
const ORIGIN = '930000013';
const DESTINATION = '750000019';
const terms: MobilityTerms = {
  mobilityId: MOB,
  professionalId: PRO,
  vacancyId: 'vac-42',
  kind: 'transfer',
  originCentreFiness: ORIGIN,
  originAssignmentId: 'a1',
  destinationCentreFiness: DESTINATION,
  fte: 8000,
  originFte: 8000,
  requestedOn: '2026-03-02',
};
const approval = (overrides: Partial<MobilityTerms> = {}): MobilityApproved['data'] =>
  ({
    ...terms,
    ...overrides,
    effectiveOn: '2026-09-01',
    opinions: { origin: { opinion: 'favourable', by: 'o' }, destination: { opinion: 'favourable', by: 'd' } },
    decidedBy: 'coordinator-idf',
  }) as MobilityApproved['data'];
const fill = { vacancyId: 'vac-42', command: { type: 'FillVacancy', professionalId: PRO, mobilityId: MOB, filledOn: '2026-09-01' } };

describe('movementPlan: what the process manager commands for each kind', () => {
  it('transfer: ends the origin assignment (reason transfer), starts a regular open-ended one at the destination, fills the vacancy', () =>
    expect(movementPlan(approval())).toEqual({
      mobilityId: MOB,
      professional: {
        professionalId: PRO,
        commands: [
          { type: 'EndAssignment', assignmentId: 'a1', endOn: '2026-09-01', reason: 'transfer' },
          {
            type: 'AssignToCentre',
            assignmentId: `${MOB}:destination`,
            centreFiness: DESTINATION,
            fte: 8000,
            startOn: '2026-09-01',
            kind: 'regular',
            mobilityId: MOB,
          },
        ],
      },
      vacancy: fill,
    }));

  it('secondment: ends the origin assignment, starts a secondment at the destination until endOn, plans no return', () =>
    expect(movementPlan(approval({ kind: 'secondment', endOn: '2028-09-01' }))).toEqual({
      mobilityId: MOB,
      professional: {
        professionalId: PRO,
        commands: [
          { type: 'EndAssignment', assignmentId: 'a1', endOn: '2026-09-01', reason: 'request' },
          {
            type: 'AssignToCentre',
            assignmentId: `${MOB}:destination`,
            centreFiness: DESTINATION,
            fte: 8000,
            startOn: '2026-09-01',
            endOn: '2028-09-01',
            kind: 'secondment',
            mobilityId: MOB,
          },
        ],
      },
      vacancy: fill,
    }));

  it('temporary assignment: ends the origin assignment, a temporary one at the destination, then back at the origin with the origin FTE', () =>
    expect(movementPlan(approval({ kind: 'temporary_assignment', endOn: '2027-03-01', fte: 5000, originFte: 10000 }))).toEqual({
      mobilityId: MOB,
      professional: {
        professionalId: PRO,
        commands: [
          { type: 'EndAssignment', assignmentId: 'a1', endOn: '2026-09-01', reason: 'request' },
          {
            type: 'AssignToCentre',
            assignmentId: `${MOB}:destination`,
            centreFiness: DESTINATION,
            fte: 5000,
            startOn: '2026-09-01',
            endOn: '2027-03-01',
            kind: 'temporary',
            mobilityId: MOB,
          },
          { type: 'AssignToCentre', assignmentId: `${MOB}:return`, centreFiness: ORIGIN, fte: 10000, startOn: '2027-03-01', kind: 'regular', mobilityId: MOB },
        ],
      },
      vacancy: fill,
    }));
});

describe('movementPlan applied to the Professional and Vacancy deciders', () => {
  const hired: ProfessionalEvent = {
    type: 'ProfessionalHired',
    data: {
      professionalId: PRO,
      identity: { lastName: 'Martin', firstName: 'Inès' },
      profession: 'nurse',
      grade: 'ide_b_cn',
      echelon: 3,
      echelonSince: '2024-09-01',
      retainedSeniorityMonths: 14,
      hiredOn: '2026-01-05',
    },
  };
  const history: ProfessionalEvent[] = [
    hired,
    { type: 'AssignmentStarted', data: { professionalId: PRO, assignmentId: 'a1', centreFiness: ORIGIN, fte: 10000, startOn: '2026-01-05', kind: 'regular' } },
  ];
  const posted: Extract<VacancyEvent, { type: 'VacancyPosted' }> = {
    type: 'VacancyPosted',
    data: { vacancyId: 'vac-42', centreFiness: DESTINATION, profession: 'nurse', fte: 5000, startOn: '2026-09-01', postedBy: 'manager' },
  };

  /** Decides the commands in order on the state each leaves, as the process manager does. */
  function apply(events: ProfessionalEvent[], commands: readonly ProfessionalCommand[]): { state: Professional; appended: ProfessionalEvent[] } {
    let state: ProfessionalState = events.reduce(professionalDecider.evolve, professionalDecider.initialState());
    const appended: ProfessionalEvent[] = [];
    for (const command of commands) {
      const decided = professionalDecider.decide(command, state);
      appended.push(...decided);
      state = decided.reduce(professionalDecider.evolve, state);
    }
    return { state: state as Professional, appended };
  }

  const plan = movementPlan(approval({ kind: 'temporary_assignment', endOn: '2027-03-01', fte: 5000, originFte: 10000 }));

  it('moves the professional within the 1.0 FTE limit and brings them back, keeping grade, échelon and seniority', () => {
    const { state } = apply(history, plan.professional.commands);
    expect(fteOn(state, '2026-08-31')).toBe(10000);
    expect(assignmentsOn(state, '2026-08-31').map((a) => a.centreFiness)).toEqual([ORIGIN]);
    expect(assignmentsOn(state, '2026-09-01').map((a) => [a.centreFiness, a.fte, a.kind])).toEqual([[DESTINATION, 5000, 'temporary']]);
    expect(assignmentsOn(state, '2027-03-01').map((a) => [a.centreFiness, a.fte, a.kind])).toEqual([[ORIGIN, 10000, 'regular']]);
    expect(state).toMatchObject({ grade: 'ide_b_cn', echelon: 3, echelonSince: '2024-09-01', retainedSeniorityMonths: 14, hiredOn: '2026-01-05' });
  });

  it('transfer: the professional works at the destination from the effective date, with the same grid position', () => {
    const { state } = apply(history, movementPlan(approval({ fte: 10000, originFte: 10000 })).professional.commands);
    expect(assignmentsOn(state, '2030-01-01').map((a) => [a.centreFiness, a.fte, a.kind, a.mobilityId])).toEqual([[DESTINATION, 10000, 'regular', MOB]]);
    expect(state).toMatchObject({ grade: 'ide_b_cn', echelon: 3, echelonSince: '2024-09-01', retainedSeniorityMonths: 14 });
  });

  it('replays without duplicates: the end records nothing, the assignment ids are already taken, the vacancy is already filled', () => {
    const first = apply(history, plan.professional.commands);
    const replayed = [...history, ...first.appended];
    const [end, destination, back] = plan.professional.commands;
    expect(apply(replayed, [end]).appended).toEqual([]);
    expect(() => apply(replayed, [destination!])).toThrow(AlreadyExistsError);
    expect(() => apply(replayed, [back!])).toThrow(expect.objectContaining({ resource: 'assignment', id: `${MOB}:return` }));

    const vacancy: VacancyState = [posted].reduce(vacancyDecider.evolve, vacancyDecider.initialState());
    const filled = vacancyDecider.decide(plan.vacancy.command, vacancy);
    const { postedBy: _by, ...post } = posted.data;
    expect(filled).toEqual([{ type: 'VacancyFilled', data: { ...post, professionalId: PRO, mobilityId: MOB, filledOn: '2026-09-01' } }]);
    expect(vacancyDecider.decide(plan.vacancy.command, filled.reduce(vacancyDecider.evolve, vacancy))).toEqual([]);
  });
});
