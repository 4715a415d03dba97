import { loadPublishedStatute } from '../../adapters/statute-files';
import { professionalDecider } from './professional-decider';
import type { ProfessionalEvent } from './professional-events';
import type { Professional } from './professional-state';
import { advancementsToRecord, positionOn } from './career';

// The shipped statute: ide_b_cn échelons last 24, 36, 36, 48... months (data/fph/2024-01-01.json).
const statute = loadPublishedStatute();
const ID = 'p-1';
const hired: ProfessionalEvent = {
  type: 'ProfessionalHired',
  data: {
    professionalId: ID,
    identity: { lastName: 'Martin', firstName: 'Inès' },
    profession: 'nurse',
    grade: 'ide_b_cn',
    echelon: 2,
    echelonSince: '2026-01-05',
    retainedSeniorityMonths: 12,
    hiredOn: '2026-01-05',
  },
};
const fold = (...events: ProfessionalEvent[]): Professional => events.reduce(professionalDecider.evolve, professionalDecider.initialState()) as Professional;

describe('positionOn: the grid position on a day, from the career step in effect', () => {
  const p = fold(hired);

  it('counts retained seniority toward the first advancement', () => {
    // Échelon 2 lasts 36 months; 12 retained: échelon 3 on 2028-01-05.
    expect(positionOn(p, statute, '2028-01-04')).toMatchObject({ echelon: 2, nextAdvancementOn: '2028-01-05' });
    expect(positionOn(p, statute, '2028-01-05')).toMatchObject({ echelon: 3, reachedOn: '2028-01-05' });
  });

  it('is undefined before the hire', () => expect(positionOn(p, statute, '2026-01-04')).toBeUndefined());

  it('starts from a recorded advancement for days after it, and from the hire for days before', () => {
    const advanced = fold(hired, { type: 'EchelonAdvanced', data: { professionalId: ID, echelon: 3, effectiveOn: '2028-01-05' } });
    expect(positionOn(advanced, statute, '2027-06-01')).toMatchObject({ echelon: 2 });
    expect(positionOn(advanced, statute, '2031-01-05')).toMatchObject({ echelon: 4, reachedOn: '2031-01-05' });
  });
});

describe('advancementsToRecord: what the scheduled process records', () => {
  it('lists every échelon served and not recorded, one at a time, in order', () => {
    expect(advancementsToRecord(fold(hired), statute, '2031-01-05')).toEqual([
      { type: 'AdvanceEchelon', toEchelon: 3, effectiveOn: '2028-01-05' },
      { type: 'AdvanceEchelon', toEchelon: 4, effectiveOn: '2031-01-05' },
    ]);
  });

  it('records nothing already recorded, and nothing after an exit', () => {
    const advanced = fold(hired, { type: 'EchelonAdvanced', data: { professionalId: ID, echelon: 3, effectiveOn: '2028-01-05' } });
    expect(advancementsToRecord(advanced, statute, '2030-12-31')).toEqual([]);
    const left = fold(hired, { type: 'ProfessionalExited', data: { professionalId: ID, exitOn: '2028-01-05', reason: 'resignation' } });
    expect(advancementsToRecord(left, statute, '2031-01-05')).toEqual([]);
  });
});

describe('the career is recorded in order', () => {
  it('refuses an advancement dated before the last recorded step', () => {
    const promoted = fold(hired, {
      type: 'ProfessionalPromoted',
      data: {
        professionalId: ID,
        fromGrade: 'ide_b_cn',
        fromEchelon: 2,
        toGrade: 'mk_cs',
        toEchelon: 1,
        effectiveOn: '2027-01-01',
        seniorityFrom: '2026-10-01',
      },
    });
    expect(() => professionalDecider.decide({ type: 'AdvanceEchelon', toEchelon: 2, effectiveOn: '2026-12-01' }, promoted)).toThrow(/last career step/);
  });
});

describe('ends and exits keep the record consistent', () => {
  const started: ProfessionalEvent = {
    type: 'AssignmentStarted',
    data: { professionalId: ID, assignmentId: 'a1', centreFiness: '930000013', fte: 5000, startOn: '2026-02-01', endOn: '2026-09-01', kind: 'regular' },
  };

  it('refuses to move an end date later on request, and records nothing for a later system end', () => {
    const p = fold(hired, started);
    expect(() => professionalDecider.decide({ type: 'EndAssignment', assignmentId: 'a1', endOn: '2026-10-01', reason: 'request' }, p)).toThrow(
      /cannot be moved later/,
    );
    expect(professionalDecider.decide({ type: 'EndAssignment', assignmentId: 'a1', endOn: '2026-10-01', reason: 'centre_closed' }, p)).toEqual([]);
    expect(professionalDecider.decide({ type: 'EndAssignment', assignmentId: 'a1', endOn: '2026-09-01', reason: 'request' }, p)).toEqual([]);
  });

  it('refuses an exit dated before the last recorded career step', () => {
    const advanced = fold(hired, { type: 'EchelonAdvanced', data: { professionalId: ID, echelon: 3, effectiveOn: '2028-01-05' } });
    expect(() => professionalDecider.decide({ type: 'RecordExit', exitOn: '2027-12-31', reason: 'resignation' }, advanced)).toThrow(/last step/);
  });

  it('says a promotion is dated before the last step, rather than that the grade is current', () => {
    const promoted = fold(hired, {
      type: 'ProfessionalPromoted',
      data: {
        professionalId: ID,
        fromGrade: 'ide_b_cn',
        fromEchelon: 2,
        toGrade: 'mk_cs',
        toEchelon: 1,
        effectiveOn: '2029-01-01',
        seniorityFrom: '2029-01-01',
      },
    });
    expect(() =>
      professionalDecider.decide(
        { type: 'PromoteProfessional', toGrade: 'mk_cs', toGradeGrid: 'fph', toEchelon: 1, effectiveOn: '2028-01-01', seniorityFrom: '2028-01-01' },
        promoted,
      ),
    ).toThrow(/last career step/);
  });
});
