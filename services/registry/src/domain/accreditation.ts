import type { PreconditionViolation } from '@pcn/eventsourcing';
import type { CentreDetails } from './centre';
import { isNonProfit } from './manager-kinds';

const criterion = (subject: string, description: string): PreconditionViolation => ({
  type: 'ACCREDITATION_CRITERION',
  subject,
  description,
});

/**
 * Every accreditation criterion the centre does not meet; empty when it may be a member.
 * `accreditedOn`, given when the centre is being accredited, dates the criteria: the health
 * project must have been adopted on or before that day, not after it (nor in the future of it).
 * A member that later adopts a new project meets the criterion with it, so amendments and
 * reinstatements check the criteria without a date.
 */
export function unmetCriteria(details: CentreDetails, accreditedOn?: string): PreconditionViolation[] {
  const unmet: PreconditionViolation[] = [];
  if (!isNonProfit(details.manager.kind)) {
    unmet.push(criterion('manager.kind', `the manager must be a non-profit body, not "${details.manager.kind}"`));
  }
  if (!details.commitments.sector1FeesOnly) {
    unmet.push(criterion('commitments.sector1FeesOnly', 'the centre must practise sector-1 fees only, with no excess fees'));
  }
  if (!details.commitments.fullThirdPartyPayment) {
    unmet.push(criterion('commitments.fullThirdPartyPayment', 'the centre must practise full third-party payment: patients advance nothing'));
  }
  if (!details.commitments.salariedStaff) {
    unmet.push(criterion('commitments.salariedStaff', 'the professionals of the centre must be salaried'));
  }
  if (!details.healthProject) {
    unmet.push(criterion('healthProject', 'the centre must have adopted a health project'));
  } else {
    if (accreditedOn !== undefined && details.healthProject.adoptedOn > accreditedOn) {
      unmet.push(
        criterion(
          'healthProject.adoptedOn',
          `the health project must be adopted on or before the accreditation date ${accreditedOn}, not on ${details.healthProject.adoptedOn}`,
        ),
      );
    }
    if (!details.healthProject.axes.includes('prevention')) unmet.push(criterion('healthProject.axes', 'the health project must include prevention'));
  }
  const { electedOfficialsSeats, usersSeats, staffSeats } = details.governance;
  if (electedOfficialsSeats < 1) unmet.push(criterion('governance.electedOfficialsSeats', 'the governing body must seat elected officials'));
  if (usersSeats < 1) unmet.push(criterion('governance.usersSeats', 'the governing body must seat users'));
  if (staffSeats < 1) unmet.push(criterion('governance.staffSeats', 'the governing body must seat staff'));
  return unmet;
}
