import { deciderSpec } from '@pcn/eventsourcing/testing';
import { AlreadyExistsError, NotFoundError, PreconditionFailedError, ValidationError } from '@pcn/eventsourcing';
import { professionalDecider } from './professional-decider';
import type { ProfessionalCommand } from './professional-commands';
import type { ProfessionalEvent } from './professional-events';
import { fteOn, peakFte, type Professional } from './professional-state';

const ID = 'b7e1c9a2-5f0d-4c7e-9a51-2f7d8e3b6c10';
const spec = deciderSpec(professionalDecider);

const hireNurse: Extract<ProfessionalCommand, { type: 'HireProfessional' }> = {
  type: 'HireProfessional',
  professionalId: ID,
  identity: { lastName: 'Martin', firstName: 'Inès' },
  profession: 'nurse',
  grade: 'ide_b_cn',
  gradeGrid: 'fph',
  echelon: 3,
  echelonSince: '2024-09-01',
  retainedSeniorityMonths: 14,
  hiredOn: '2026-01-05',
};
const { type: _t, gradeGrid: _g, ...hiredData } = hireNurse;
const hired: ProfessionalEvent = { type: 'ProfessionalHired', data: hiredData };
const started = (assignmentId: string, centreFiness: string, fte: number, startOn: string, endOn?: string): ProfessionalEvent => ({
  type: 'AssignmentStarted',
  data: { professionalId: ID, assignmentId, centreFiness, fte, startOn, ...(endOn && { endOn }), kind: 'regular' },
});
const assign = (assignmentId: string, centreFiness: string, fte: number, startOn: string, endOn?: string): ProfessionalCommand => ({
  type: 'AssignToCentre',
  assignmentId,
  centreFiness,
  fte,
  startOn,
  ...(endOn && { endOn }),
  kind: 'regular',
});
const fold = (events: ProfessionalEvent[]): Professional => events.reduce(professionalDecider.evolve, professionalDecider.initialState()) as Professional;

describe('hiring', () => {
  it('records the hire with the grid position and the seniority retained', () => spec.given([]).when(hireNurse).then([hired]));

  it('refuses a second hire of the same professional', () => spec.given([hired]).when(hireNurse).thenThrows(AlreadyExistsError));

  it('refuses a grade of the wrong grid for the profession', () =>
    spec
      .given([])
      .when({ ...hireNurse, profession: 'doctor', identity: { ...hireNurse.identity, rpps: '10003456789' } })
      .thenThrows({ violations: [{ field: 'grade', description: expect.stringContaining('PH grid') }] }));

  it('requires an RPPS number from a doctor, and refuses one for a receptionist', () => {
    spec
      .given([])
      .when({ ...hireNurse, profession: 'doctor', gradeGrid: 'ph', grade: 'ph' })
      .thenThrows({ violations: [{ field: 'identity.rpps', description: 'is required for a doctor' }] });
    spec
      .given([])
      .when({ ...hireNurse, profession: 'receptionist', identity: { ...hireNurse.identity, rpps: '10003456789' } })
      .thenThrows(ValidationError);
  });
});

describe('échelons and promotions', () => {
  it('advances one échelon at a time, and ignores an advancement already recorded', () => {
    spec
      .given([hired])
      .when({ type: 'AdvanceEchelon', toEchelon: 4, effectiveOn: '2026-09-01' })
      .then([{ type: 'EchelonAdvanced', data: { professionalId: ID, echelon: 4, effectiveOn: '2026-09-01' } }]);
    spec.given([hired]).when({ type: 'AdvanceEchelon', toEchelon: 3, effectiveOn: '2026-09-01' }).then([]);
    spec
      .given([hired])
      .when({ type: 'AdvanceEchelon', toEchelon: 5, effectiveOn: '2026-09-01' })
      .thenThrows({ violations: [{ field: 'toEchelon', description: expect.stringContaining('one échelon at a time') }] });
  });

  it('promotes to another grade of the same grid, keeping the seniority the reclassification grants', () => {
    spec
      .given([hired])
      .when({ type: 'PromoteProfessional', toGrade: 'ide_b_cs', toGradeGrid: 'fph', toEchelon: 2, effectiveOn: '2026-06-01', seniorityFrom: '2026-03-01' })
      .then([
        {
          type: 'ProfessionalPromoted',
          data: {
            professionalId: ID,
            fromGrade: 'ide_b_cn',
            fromEchelon: 3,
            toGrade: 'ide_b_cs',
            toEchelon: 2,
            effectiveOn: '2026-06-01',
            seniorityFrom: '2026-03-01',
          },
        },
      ]);
    spec
      .given([hired])
      .when({ type: 'PromoteProfessional', toGrade: 'ph', toGradeGrid: 'ph', toEchelon: 1, effectiveOn: '2026-06-01', seniorityFrom: '2026-06-01' })
      .thenThrows(ValidationError);
  });
});

describe('assignments: the total FTE never exceeds 1.0 on any day', () => {
  it('assigns to two centres up to a full-time post', () => {
    spec
      .given([hired])
      .when(assign('a1', '930000013', 6000, '2026-01-05'))
      .then([started('a1', '930000013', 6000, '2026-01-05')]);
    spec
      .given([hired, started('a1', '930000013', 6000, '2026-01-05')])
      .when(assign('a2', '750000019', 4000, '2026-02-01'))
      .then([started('a2', '750000019', 4000, '2026-02-01')]);
  });

  it('refuses an assignment that would exceed 1.0, saying on which day and by how much', () =>
    spec
      .given([hired, started('a1', '930000013', 6000, '2026-01-05'), started('a2', '750000019', 3000, '2026-03-01', '2026-06-01')])
      .when(assign('a3', '2A0000041', 2000, '2026-02-01'))
      .thenThrows({
        kind: 'failed_precondition',
        message: expect.stringContaining('1.1 on 2026-03-01'),
        violations: [expect.objectContaining({ type: 'FTE_LIMIT' })],
      }));

  it('accepts the same FTE once the earlier assignment has ended', () =>
    spec
      .given([hired, started('a1', '930000013', 6000, '2026-01-05'), started('a2', '750000019', 3000, '2026-03-01', '2026-06-01')])
      .when(assign('a3', '2A0000041', 4000, '2026-06-01'))
      .then([started('a3', '2A0000041', 4000, '2026-06-01')]));

  it('refuses two overlapping assignments at one centre, and an open-ended secondment', () => {
    spec
      .given([hired, started('a1', '930000013', 3000, '2026-01-05')])
      .when(assign('a2', '930000013', 3000, '2026-04-01'))
      .thenThrows(PreconditionFailedError);
    spec
      .given([hired])
      .when({ ...assign('s1', '930000013', 5000, '2026-04-01'), kind: 'secondment' } as ProfessionalCommand)
      .thenThrows({ violations: [{ field: 'endOn', description: 'is required for a secondment' }] });
  });

  it('ends an assignment, and ignores an end later than one already recorded (a closing centre after a transfer)', () => {
    const history = [hired, started('a1', '930000013', 6000, '2026-01-05')];
    spec
      .given(history)
      .when({ type: 'EndAssignment', assignmentId: 'a1', endOn: '2026-06-30', reason: 'transfer' })
      .then([{ type: 'AssignmentEnded', data: { professionalId: ID, assignmentId: 'a1', endOn: '2026-06-30', reason: 'transfer' } }]);
    const ended: ProfessionalEvent = { type: 'AssignmentEnded', data: { professionalId: ID, assignmentId: 'a1', endOn: '2026-06-30', reason: 'transfer' } };
    spec
      .given([...history, ended])
      .when({ type: 'EndAssignment', assignmentId: 'a1', endOn: '2026-09-01', reason: 'centre_closed' })
      .then([]);
    spec.given(history).when({ type: 'EndAssignment', assignmentId: 'zz', endOn: '2026-09-01', reason: 'request' }).thenThrows(NotFoundError);
  });

  it('computes the FTE worked on a day and the peak over a period', () => {
    const p = fold([hired, started('a1', '930000013', 6000, '2026-01-05'), started('a2', '750000019', 3000, '2026-03-01', '2026-06-01')]);
    expect(fteOn(p, '2026-02-15')).toBe(6000);
    expect(fteOn(p, '2026-03-01')).toBe(9000);
    expect(fteOn(p, '2026-06-01')).toBe(6000);
    expect(peakFte(p, '2026-01-10', undefined, 1000)).toEqual({ fte: 10000, on: '2026-03-01' });
  });
});

describe('exit', () => {
  it('ends every running assignment on the exit date, then records the exit', () =>
    spec
      .given([hired, started('a1', '930000013', 6000, '2026-01-05'), started('a2', '750000019', 3000, '2026-03-01', '2026-04-01')])
      .when({ type: 'RecordExit', exitOn: '2026-10-01', reason: 'retirement' })
      .then([
        { type: 'AssignmentEnded', data: { professionalId: ID, assignmentId: 'a1', endOn: '2026-10-01', reason: 'exit' } },
        { type: 'ProfessionalExited', data: { professionalId: ID, exitOn: '2026-10-01', reason: 'retirement' } },
      ]));

  it('refuses changes after the exit', () =>
    spec
      .given([hired, { type: 'ProfessionalExited', data: { professionalId: ID, exitOn: '2026-10-01', reason: 'resignation' } }])
      .when(assign('a9', '930000013', 5000, '2026-11-01'))
      .thenThrows({ message: expect.stringContaining('left the network on 2026-10-01') }));
});
