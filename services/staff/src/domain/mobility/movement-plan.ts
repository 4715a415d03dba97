import type { ProfessionalCommand } from '../professional/professional-commands';
import type { VacancyCommand } from '../vacancy/vacancy-commands';
import type { MobilityApproved } from './mobility-events';

export type EndAssignmentCommand = Extract<ProfessionalCommand, { type: 'EndAssignment' }>;
export type AssignToCentreCommand = Extract<ProfessionalCommand, { type: 'AssignToCentre' }>;
export type FillVacancyCommand = Extract<VacancyCommand, { type: 'FillVacancy' }>;

/** The assignment an approved mobility starts at the destination centre. */
export const destinationAssignmentId = (mobilityId: string): string => `${mobilityId}:destination`;
/** The assignment at the origin centre that a temporary assignment (mise à disposition) returns to. */
export const returnAssignmentId = (mobilityId: string): string => `${mobilityId}:return`;

/** What the process manager commands once a mobility is approved, as plain data. */
export interface MovementPlan {
  readonly mobilityId: string;
  /**
   * On stream `professional-{professionalId}`, decided in this order on the state each leaves
   * and appended together: the origin assignment ends before the destination one starts, so the
   * 1.0 FTE limit sees a move, not two posts held on the same day.
   */
  readonly professional: { readonly professionalId: string; readonly commands: readonly [EndAssignmentCommand, ...AssignToCentreCommand[]] };
  /** On stream `vacancy-{vacancyId}`. */
  readonly vacancy: { readonly vacancyId: string; readonly command: FillVacancyCommand };
}

/**
 * What an approved mobility changes, for each kind. Assignments cover [startOn, endOn).
 *
 * - **transfer**: the origin assignment ends on `effectiveOn` (reason `transfer`); a `regular`
 *   assignment at the destination starts on `effectiveOn`, open-ended; the vacancy is filled.
 * - **secondment** (détachement): the origin assignment ends on `effectiveOn` (reason `request`);
 *   a `secondment` assignment at the destination covers [`effectiveOn`, `endOn`); the vacancy is
 *   filled. What happens at `endOn` (reinstatement at the origin or elsewhere, renewal,
 *   integration) is a new mobility request: out of scope here, nothing is planned for it.
 * - **temporary assignment** (mise à disposition): the professional stays attached to the origin
 *   centre. The origin assignment ends on `effectiveOn` (reason `request`); a `temporary`
 *   assignment at the destination covers [`effectiveOn`, `endOn`); a new `regular` assignment at
 *   the origin, with the origin FTE, starts on `endOn`; the vacancy is filled.
 *
 * Grade, échelon and seniority are untouched by every movement: the Professional aggregate keeps
 * them on the professional, not on the assignment, and nothing here commands a change of them,
 * so the time served keeps counting at the destination.
 *
 * `AssignmentEndReason` has no value for a fixed-term movement, so the origin assignment of a
 * secondment or a temporary assignment ends with `request` (the professional asked to move);
 * the assignment started at the destination names the mobility and its kind.
 *
 * Replaying the plan creates nothing twice: an assignment already ended on or before that day
 * ends again with no event; the assignment ids are derived from the mobility id
 * (`{mobilityId}:destination`, `{mobilityId}:return`), so starting one again is refused with
 * AlreadyExistsError('assignment', id), which the process manager reads as already applied;
 * filling the vacancy again with the same professional and mobility records nothing.
 */
export function movementPlan(approved: MobilityApproved['data']): MovementPlan {
  const { mobilityId, professionalId, vacancyId, originAssignmentId, originCentreFiness, destinationCentreFiness, fte, originFte, effectiveOn } = approved;
  const endOrigin: EndAssignmentCommand = {
    type: 'EndAssignment',
    assignmentId: originAssignmentId,
    endOn: effectiveOn,
    reason: approved.kind === 'transfer' ? 'transfer' : 'request',
  };
  const atDestination = {
    type: 'AssignToCentre',
    assignmentId: destinationAssignmentId(mobilityId),
    centreFiness: destinationCentreFiness,
    fte,
    startOn: effectiveOn,
    mobilityId,
  } as const;
  const professional = (...commands: AssignToCentreCommand[]): MovementPlan['professional'] => ({ professionalId, commands: [endOrigin, ...commands] });
  const vacancy: MovementPlan['vacancy'] = { vacancyId, command: { type: 'FillVacancy', professionalId, mobilityId, filledOn: effectiveOn } };

  switch (approved.kind) {
    case 'transfer':
      return { mobilityId, professional: professional({ ...atDestination, kind: 'regular' }), vacancy };
    case 'secondment':
      return { mobilityId, professional: professional({ ...atDestination, endOn: approved.endOn, kind: 'secondment' }), vacancy };
    case 'temporary_assignment':
      return {
        mobilityId,
        professional: professional(
          { ...atDestination, endOn: approved.endOn, kind: 'temporary' },
          {
            type: 'AssignToCentre',
            assignmentId: returnAssignmentId(mobilityId),
            centreFiness: originCentreFiness,
            fte: originFte,
            startOn: approved.endOn,
            kind: 'regular',
            mobilityId,
          },
        ),
        vacancy,
      };
  }
}
