import type { PreconditionViolation } from '@pcn/eventsourcing';
import { activeOn, type Professional } from '../professional/professional-state';
import type { Vacancy } from '../vacancy/vacancy-state';
import type { MobilityCommand } from './mobility-commands';

const violation = (type: string, subject: string, description: string): PreconditionViolation => ({ type, subject, description });

/**
 * What a mobility request must agree with in the two other aggregates, which the mobility
 * decider cannot see: the application loads the vacancy and the professional, and refuses the
 * request (PreconditionFailedError with these violations) when the list is not empty.
 *
 * The request must target an open vacancy, at its centre, for the professional's profession and
 * the FTE posted; the origin assignment must be the professional's, at the origin centre, worked
 * on the day of the request, with the FTE the request says will be restored (`originFte`,
 * defaulting to `fte`); the professional must not have left the network.
 */
export function requestPreconditions(
  request: Extract<MobilityCommand, { type: 'RequestMobility' }>,
  vacancy: Vacancy,
  professional: Professional,
): PreconditionViolation[] {
  const unmet: PreconditionViolation[] = [];
  if (vacancy.status !== 'open') unmet.push(violation('LIFECYCLE', 'vacancyId', `vacancy ${vacancy.vacancyId} is ${vacancy.status}`));
  if (vacancy.centreFiness !== request.destinationCentreFiness) {
    unmet.push(
      violation(
        'VACANCY',
        'destinationCentreFiness',
        `vacancy ${vacancy.vacancyId} is at centre ${vacancy.centreFiness}, not ${request.destinationCentreFiness}`,
      ),
    );
  }
  if (vacancy.profession !== professional.profession) {
    unmet.push(
      violation('VACANCY', 'vacancyId', `vacancy ${vacancy.vacancyId} is for a ${vacancy.profession}, the professional is a ${professional.profession}`),
    );
  }
  if (vacancy.fte !== request.fte)
    unmet.push(violation('VACANCY', 'fte', `vacancy ${vacancy.vacancyId} is posted at ${vacancy.fte} ten-thousandths, the request says ${request.fte}`));
  if (professional.exitOn !== undefined && professional.exitOn <= request.requestedOn) {
    unmet.push(violation('CAREER', 'professionalId', `professional ${professional.professionalId} left the network on ${professional.exitOn}`));
  }
  const origin = professional.assignments[request.originAssignmentId];
  if (!origin) {
    unmet.push(violation('ASSIGNMENT', 'originAssignmentId', `professional ${professional.professionalId} has no assignment ${request.originAssignmentId}`));
  } else {
    if (origin.centreFiness !== request.originCentreFiness) {
      unmet.push(
        violation(
          'ASSIGNMENT',
          'originCentreFiness',
          `assignment ${origin.assignmentId} is at centre ${origin.centreFiness}, not ${request.originCentreFiness}`,
        ),
      );
    }
    if (!activeOn(origin, request.requestedOn)) {
      unmet.push(violation('ASSIGNMENT', 'originAssignmentId', `assignment ${origin.assignmentId} is not worked on ${request.requestedOn}`));
    }
    const originFte = request.originFte ?? request.fte;
    if (origin.fte !== originFte) {
      unmet.push(violation('ASSIGNMENT', 'originFte', `assignment ${origin.assignmentId} is ${origin.fte} ten-thousandths, the request says ${originFte}`));
    }
  }
  return unmet;
}
