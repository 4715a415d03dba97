import { AlreadyExistsError, NotFoundError, PreconditionFailedError } from '@pcn/eventsourcing';
import type { IsoDate } from '../iso-date';
import type {
  AttributionEnded,
  DeclarationChannel,
  EndReason,
  Enroller,
  MedecinTraitantDeclared,
  PatientEvent,
  Practitioner,
  ProposalDeclined,
  ProposalMade,
  WaitlistEnrolled,
} from './patient-events';
import { changedFields, type PatientProfile } from './patient-profile';
import type { PatientState, PendingProposal } from './patient-state';

/**
 * The patient's decisions: pure functions from the patient's state and a command to the events
 * of the patient's stream. The panel side of a declaration is decided by `panel-decisions`; the
 * application appends both at once.
 */

export function registerPatient(state: PatientState, patientId: string, profile: PatientProfile): PatientEvent[] {
  if (state.patientId !== undefined) throw new AlreadyExistsError('patient', patientId);
  return [{ type: 'PatientRegistered', data: { patientId, profile } }];
}

export function updatePatient(state: PatientState, patientId: string, profile: PatientProfile): PatientEvent[] {
  const registered = requireRegistered(state, patientId);
  const changed = changedFields(registered.profile, profile);
  return changed.length === 0 ? [] : [{ type: 'PatientUpdated', data: { patientId, profile, changed } }];
}

export interface Declaration extends Practitioner {
  readonly attributionId: string;
  readonly effectiveDate: IsoDate;
  readonly channel: DeclarationChannel;
  readonly proposalId?: string;
  readonly departureId?: string;
}

/**
 * A declaration of médecin traitant. The previous one, if any, ends on the new one's effective
 * date, so a patient never has two. Backdating is allowed, but not to before the current
 * attribution's start or the end of the last one: history never overlaps.
 * Declaring the current médecin traitant at the same centre again changes nothing.
 */
export function declare(state: PatientState, patientId: string, d: Declaration): MedecinTraitantDeclared[] {
  requireAlive(requireRegistered(state, patientId), patientId);
  const current = state.current;
  if (current && current.rpps === d.rpps && current.centreFiness === d.centreFiness) return [];
  const floor = current?.start ?? state.lastEnd;
  if (floor !== undefined && d.effectiveDate < floor) {
    throw new PreconditionFailedError(
      `the declaration of ${d.effectiveDate} would predate ${current ? 'the current attribution, which starts' : 'the end of the last attribution,'} on ${floor}`,
      [{ type: 'ATTRIBUTION_HISTORY', subject: 'effectiveDate', description: `must be on or after ${floor}: a patient's attributions never overlap` }],
    );
  }
  return [
    {
      type: 'MedecinTraitantDeclared',
      data: {
        patientId,
        attributionId: d.attributionId,
        rpps: d.rpps,
        professionalId: d.professionalId,
        centreFiness: d.centreFiness,
        effectiveDate: d.effectiveDate,
        channel: d.channel,
        ...(current && {
          replaces: { attributionId: current.attributionId, rpps: current.rpps, professionalId: current.professionalId, centreFiness: current.centreFiness },
        }),
        ...(d.proposalId && { proposalId: d.proposalId }),
        ...(d.departureId && { departureId: d.departureId }),
      },
    },
  ];
}

export function endAttribution(state: PatientState, patientId: string, end: { endDate: IsoDate; reason: EndReason; departureId?: string }): AttributionEnded[] {
  const current = requireRegistered(state, patientId).current;
  if (!current) {
    throw new PreconditionFailedError(`patient ${patientId} has no médecin traitant to end`, [
      { type: 'NO_ATTRIBUTION', subject: 'patientId', description: 'the patient has no current médecin traitant' },
    ]);
  }
  if (end.endDate < current.start) {
    throw new PreconditionFailedError(`the end date ${end.endDate} is before the attribution's start ${current.start}`, [
      { type: 'ATTRIBUTION_HISTORY', subject: 'endDate', description: `must be on or after ${current.start}, the start of the current attribution` },
    ]);
  }
  const { start: _s, channel: _c, ...practitioner } = current;
  return [
    {
      type: 'AttributionEnded',
      data: { patientId, ...practitioner, endDate: end.endDate, reason: end.reason, ...(end.departureId && { departureId: end.departureId }) },
    },
  ];
}

/**
 * A place on the waitlist for someone without a médecin traitant. A departure's enrolment comes
 * right after the end of the attribution, in the same append.
 */
export function enrolOnWaitlist(
  state: PatientState,
  patientId: string,
  enrolment: { since: IsoDate; enrolledBy: Enroller; topPriority: boolean },
): WaitlistEnrolled[] {
  requireAlive(requireRegistered(state, patientId), patientId);
  if (state.current) {
    throw new PreconditionFailedError(`patient ${patientId} has a médecin traitant`, [
      {
        type: 'HAS_ATTRIBUTION',
        subject: 'patientId',
        description: `the patient's médecin traitant is ${state.current.rpps} at centre ${state.current.centreFiness}: end that attribution first`,
      },
    ]);
  }
  if (state.waitlist) throw new AlreadyExistsError('waitlist place of patient', patientId);
  return [
    { type: 'WaitlistEnrolled', data: { patientId, waitingSince: enrolment.since, enrolledBy: enrolment.enrolledBy, topPriority: enrolment.topPriority } },
  ];
}

export function propose(state: PatientState, patientId: string, proposal: PendingProposal): ProposalMade[] {
  requireRegistered(state, patientId);
  if (!state.waitlist || state.current) {
    throw new PreconditionFailedError(`patient ${patientId} is not waiting`, [
      { type: 'NOT_WAITING', subject: 'patientId', description: 'only a patient on the waitlist gets proposals' },
    ]);
  }
  if (state.pendingProposal) {
    throw new PreconditionFailedError(`patient ${patientId} already has a proposal pending`, [
      { type: 'PROPOSAL_PENDING', subject: 'patientId', description: `proposal ${state.pendingProposal.proposalId} awaits the centre's answer` },
    ]);
  }
  return [{ type: 'ProposalMade', data: { patientId, ...proposal } }];
}

/** The pending proposal a confirmation or decline names; `undefined` when already answered that way. */
export function pendingProposal(state: PatientState, proposalId: string, answer: 'confirmed' | 'declined'): PendingProposal | undefined {
  const status = state.proposals.get(proposalId);
  if (status === undefined) throw new NotFoundError('proposal', proposalId);
  if (status === answer) return undefined;
  if (status !== 'pending' || !state.pendingProposal) {
    throw new PreconditionFailedError(`proposal ${proposalId} was already ${status}`, [
      { type: 'PROPOSAL_ANSWERED', subject: 'proposalId', description: `the proposal was ${status}` },
    ]);
  }
  return state.pendingProposal;
}

/** A declined proposal leaves the patient where they were on the waitlist, waiting date included. */
export function declineProposal(state: PatientState, patientId: string, proposalId: string, reason: string): ProposalDeclined[] {
  return pendingProposal(state, proposalId, 'declined') ? [{ type: 'ProposalDeclined', data: { patientId, proposalId, reason } }] : [];
}

type Registered = PatientState & { readonly patientId: string; readonly profile: PatientProfile };

export function requireRegistered(state: PatientState, patientId: string): Registered {
  if (state.patientId === undefined || state.profile === undefined) throw new NotFoundError('patient', patientId);
  return state as Registered;
}

function requireAlive(state: Registered, patientId: string): void {
  if (state.deceased) {
    throw new PreconditionFailedError(`patient ${patientId} is deceased`, [
      { type: 'DECEASED', subject: 'patientId', description: 'an attribution ended with reason death' },
    ]);
  }
}
