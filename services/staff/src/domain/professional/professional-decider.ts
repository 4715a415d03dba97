import { AlreadyExistsError, NotFoundError, PreconditionFailedError, ValidationError, type Decider } from '@pcn/eventsourcing';
import { FTE_SCALE } from '../statute/fte';
import { gridOf, rppsAccepted, rppsRequired } from './profession';
import type { ProfessionalCommand } from './professional-commands';
import type { ProfessionalEvent } from './professional-events';
import { activeOn, peakFte, type Professional, type ProfessionalState } from './professional-state';

const fteText = (tenThousandths: number): string => String(tenThousandths / FTE_SCALE);

function existing(state: ProfessionalState): Professional {
  if (!state.exists) throw new NotFoundError('professional', '(unknown)');
  return state;
}

function active(state: ProfessionalState, action: string, on: string): Professional {
  const p = existing(state);
  if (p.exitOn !== undefined && p.exitOn <= on) {
    throw new PreconditionFailedError(`cannot ${action}: professional ${p.professionalId} left the network on ${p.exitOn}`, [
      { type: 'CAREER', subject: 'exitOn', description: `left on ${p.exitOn}` },
    ]);
  }
  if (on < p.hiredOn) throw ValidationError.field('effectiveOn', `must be on or after the hiring date ${p.hiredOn}, got ${on}`);
  return p;
}

/** A career is recorded in order: nothing takes effect before the last recorded step. */
function requireAfterLastStep(p: Professional, effectiveOn: string): void {
  const last = p.career[p.career.length - 1]!;
  if (effectiveOn < last.effectiveOn) {
    throw ValidationError.field('effectiveOn', `must be on or after the last career step (${last.grade} échelon ${last.echelon} on ${last.effectiveOn})`);
  }
}

export const professionalDecider: Decider<ProfessionalCommand, ProfessionalState, ProfessionalEvent> = {
  initialState: () => ({ exists: false }),

  decide(command, state): ProfessionalEvent[] {
    switch (command.type) {
      case 'HireProfessional': {
        if (state.exists) throw new AlreadyExistsError('professional', command.professionalId);
        const grid = gridOf(command.profession);
        if (command.gradeGrid !== grid) {
          throw ValidationError.field(
            'grade',
            `grade ${command.grade} is on the ${command.gradeGrid.toUpperCase()} grid; a ${command.profession} is paid on the ${grid.toUpperCase()} grid`,
          );
        }
        if (rppsRequired(command.profession) && !command.identity.rpps) {
          throw ValidationError.field('identity.rpps', `is required for a ${command.profession}`);
        }
        if (command.identity.rpps && !rppsAccepted(command.profession)) {
          throw ValidationError.field('identity.rpps', `a ${command.profession} has no RPPS number`);
        }
        if (command.profession === 'doctor' && command.specialty === undefined) {
          throw ValidationError.field('specialty', 'is required for a doctor (general_practice for a médecin traitant)');
        }
        if (command.profession !== 'doctor' && command.specialty !== undefined) {
          throw ValidationError.field('specialty', `only doctors have a specialty here, not a ${command.profession}`);
        }
        if (command.echelonSince > command.hiredOn) {
          throw ValidationError.field('echelonSince', `must be on or before the hiring date ${command.hiredOn}`);
        }
        const { type: _type, gradeGrid: _grid, ...data } = command;
        return [{ type: 'ProfessionalHired', data }];
      }
      case 'AdvanceEchelon': {
        const p = active(state, 'advance', command.effectiveOn);
        // The scheduled process may run twice: an advancement already recorded is not an error.
        if (command.toEchelon <= p.echelon) return [];
        if (command.toEchelon !== p.echelon + 1) {
          throw ValidationError.field(
            'toEchelon',
            `advancement is one échelon at a time: from ${p.echelon} the next is ${p.echelon + 1}, got ${command.toEchelon}`,
          );
        }
        if (command.effectiveOn < p.echelonSince) {
          throw ValidationError.field('effectiveOn', `must be after échelon ${p.echelon} was reached (${p.echelonSince})`);
        }
        requireAfterLastStep(p, command.effectiveOn);
        return [{ type: 'EchelonAdvanced', data: { professionalId: p.professionalId, echelon: command.toEchelon, effectiveOn: command.effectiveOn } }];
      }
      case 'PromoteProfessional': {
        const p = active(state, 'promote', command.effectiveOn);
        requireAfterLastStep(p, command.effectiveOn);
        if (command.toGrade === p.grade) throw ValidationError.field('toGrade', `is the current grade ${p.grade}`);
        if (command.toGradeGrid !== gridOf(p.profession)) {
          throw ValidationError.field(
            'toGrade',
            `grade ${command.toGrade} is on the ${command.toGradeGrid.toUpperCase()} grid, not the grid of a ${p.profession}`,
          );
        }
        if (command.effectiveOn < p.echelonSince)
          throw ValidationError.field('effectiveOn', `must be after the current échelon was reached (${p.echelonSince})`);
        return [
          {
            type: 'ProfessionalPromoted',
            data: {
              professionalId: p.professionalId,
              fromGrade: p.grade,
              fromEchelon: p.echelon,
              toGrade: command.toGrade,
              toEchelon: command.toEchelon,
              effectiveOn: command.effectiveOn,
              seniorityFrom: command.seniorityFrom,
            },
          },
        ];
      }
      case 'AssignToCentre': {
        const p = active(state, 'assign', command.startOn);
        if (p.assignments[command.assignmentId]) throw new AlreadyExistsError('assignment', command.assignmentId);
        if (command.endOn !== undefined && command.endOn <= command.startOn) {
          throw ValidationError.field('endOn', `must be after startOn (${command.startOn})`);
        }
        if (command.kind !== 'regular' && command.endOn === undefined) {
          throw ValidationError.field('endOn', `is required for a ${command.kind === 'secondment' ? 'secondment' : 'temporary assignment'}`);
        }
        if (p.exitOn !== undefined && (command.endOn === undefined || command.endOn > p.exitOn)) {
          throw ValidationError.field('endOn', `must be on or before the exit date ${p.exitOn}`);
        }
        const overlapping = Object.values(p.assignments).find(
          (a) =>
            a.centreFiness === command.centreFiness &&
            (command.endOn === undefined || a.startOn < command.endOn) &&
            (a.endOn === undefined || command.startOn < a.endOn),
        );
        if (overlapping) {
          throw new PreconditionFailedError(`already assigned to centre ${command.centreFiness} over that period (assignment ${overlapping.assignmentId})`, [
            { type: 'ASSIGNMENT', subject: 'centreFiness', description: `assignment ${overlapping.assignmentId} covers part of the period` },
          ]);
        }
        const peak = peakFte(p, command.startOn, command.endOn, command.fte);
        if (peak.fte > FTE_SCALE) {
          throw new PreconditionFailedError(`total FTE would be ${fteText(peak.fte)} on ${peak.on}: at most 1.0 across all centres`, [
            {
              type: 'FTE_LIMIT',
              subject: 'fte',
              description: `${fteText(peak.fte - command.fte)} already assigned on ${peak.on}, ${fteText(command.fte)} more exceeds 1.0`,
            },
          ]);
        }
        const { type: _type, ...data } = command;
        return [{ type: 'AssignmentStarted', data: { professionalId: p.professionalId, ...data } }];
      }
      case 'EndAssignment': {
        const p = existing(state);
        const assignment = p.assignments[command.assignmentId];
        if (!assignment) throw new NotFoundError('assignment', command.assignmentId);
        if (command.endOn <= assignment.startOn) throw ValidationError.field('endOn', `must be after the assignment started (${assignment.startOn})`);
        if (assignment.endOn !== undefined && assignment.endOn <= command.endOn) {
          // Asked to end later than it already ends: an end date is never moved later.
          if (command.reason === 'request' && assignment.endOn < command.endOn) {
            throw ValidationError.field(
              'endOn',
              `assignment ${assignment.assignmentId} already ends on ${assignment.endOn}; an end date cannot be moved later`,
            );
          }
          // Already over by then (a closing centre after a transfer, an exit, a repeat): nothing more to record.
          return [];
        }
        return [
          {
            type: 'AssignmentEnded',
            data: { professionalId: p.professionalId, assignmentId: command.assignmentId, endOn: command.endOn, reason: command.reason },
          },
        ];
      }
      case 'RecordExit': {
        const p = active(state, 'record an exit', command.exitOn);
        const last = p.career[p.career.length - 1]!;
        if (last.effectiveOn > command.exitOn) {
          throw ValidationError.field(
            'exitOn',
            `${last.grade} échelon ${last.echelon} was recorded from ${last.effectiveOn}, after the exit: the career cannot end before its last step`,
          );
        }
        const future = Object.values(p.assignments).find((a) => a.startOn >= command.exitOn);
        if (future) throw ValidationError.field('exitOn', `assignment ${future.assignmentId} starts on ${future.startOn}, on or after the exit: end it first`);
        // Every assignment still running on the exit date ends that day.
        const ends: ProfessionalEvent[] = Object.values(p.assignments)
          .filter((a) => activeOn(a, command.exitOn))
          .map((a) => ({
            type: 'AssignmentEnded',
            data: { professionalId: p.professionalId, assignmentId: a.assignmentId, endOn: command.exitOn, reason: 'exit' },
          }));
        return [...ends, { type: 'ProfessionalExited', data: { professionalId: p.professionalId, exitOn: command.exitOn, reason: command.reason } }];
      }
    }
  },

  evolve(state, event): ProfessionalState {
    if (event.type === 'ProfessionalHired') {
      const { professionalId, identity, profession, specialty, grade, echelon, echelonSince, retainedSeniorityMonths, hiredOn } = event.data;
      return {
        exists: true,
        professionalId,
        identity,
        profession,
        ...(specialty && { specialty }),
        grade,
        echelon,
        echelonSince,
        retainedSeniorityMonths,
        hiredOn,
        career: [{ grade, echelon, effectiveOn: hiredOn, progressionFrom: echelonSince, retainedSeniorityMonths }],
        assignments: {},
      };
    }
    if (!state.exists) return state;
    switch (event.type) {
      case 'EchelonAdvanced':
        return {
          ...state,
          echelon: event.data.echelon,
          echelonSince: event.data.effectiveOn,
          career: [
            ...state.career,
            {
              grade: state.grade,
              echelon: event.data.echelon,
              effectiveOn: event.data.effectiveOn,
              progressionFrom: event.data.effectiveOn,
              retainedSeniorityMonths: 0,
            },
          ],
        };
      case 'ProfessionalPromoted':
        return {
          ...state,
          grade: event.data.toGrade,
          echelon: event.data.toEchelon,
          echelonSince: event.data.seniorityFrom,
          career: [
            ...state.career,
            {
              grade: event.data.toGrade,
              echelon: event.data.toEchelon,
              effectiveOn: event.data.effectiveOn,
              progressionFrom: event.data.seniorityFrom,
              retainedSeniorityMonths: 0,
            },
          ],
        };
      case 'AssignmentStarted': {
        const { professionalId: _id, ...assignment } = event.data;
        return { ...state, assignments: { ...state.assignments, [assignment.assignmentId]: assignment } };
      }
      case 'AssignmentEnded': {
        const current = state.assignments[event.data.assignmentId];
        if (!current) return state;
        return { ...state, assignments: { ...state.assignments, [current.assignmentId]: { ...current, endOn: event.data.endOn } } };
      }
      case 'ProfessionalExited':
        return { ...state, exitOn: event.data.exitOn, exitReason: event.data.reason };
    }
  },
};
