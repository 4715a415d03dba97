import { nameBasedUuid, type Decided, type Decider } from '@pcn/eventsourcing';
import type { IsoDate } from '../iso-date';
import { gpCapacity, requireAssignedGp, requireMemberCentre, type GpFacts } from '../gp/gp-eligibility';
import { joinPanel, leavePanel } from '../panel/panel-decisions';
import type { PanelEvent } from '../panel/panel-events';
import { evolvePanel, initialPanelState, type PanelState } from '../panel/panel-state';
import {
  declare,
  declineProposal,
  endAttribution,
  enrolOnWaitlist,
  pendingProposal,
  propose,
  registerPatient,
  requireRegistered,
  updatePatient,
  type Declaration,
} from '../patient/patient-decisions';
import type { DeclarationChannel, EndReason, Enroller, PatientEvent, Practitioner } from '../patient/patient-events';
import type { PatientProfile } from '../patient/patient-profile';
import { evolvePatient, initialPatientState, type PatientState } from '../patient/patient-state';
import { erasePatient } from '../patient/patient-erasure';
import { requireAttributedAt, requireProposalOf } from '../patient/centre-scope';
import { checkAgainstNirFacts, checkProfile, type NirFacts } from '../patient/profile-checks';

/** What a decision on a patient sees: the patient, and the panels of the GPs it involves, by RPPS. */
export interface AttributionScope {
  readonly patient: PatientState;
  readonly panels: ReadonlyMap<string, PanelState>;
}

export type AttributionEvent = PatientEvent | PanelEvent;

/** A departure as a patient's re-attribution or waitlisting sees it. */
interface DepartureStep {
  readonly patientId: string;
  /** The attribution the departure ends: a patient whose current one is another was already handled. */
  readonly departedAttributionId: string;
  readonly departureId: string;
  readonly endDate: IsoDate;
}

export type AttributionCommand =
  | { readonly type: 'RegisterPatient'; readonly patientId: string; readonly profile: PatientProfile }
  | {
      readonly type: 'UpdatePatient';
      readonly patientId: string;
      readonly changes: Partial<PatientProfile>;
      readonly today: IsoDate;
      /** When the patient was named by NIR: what it says, checked against the new profile. */
      readonly nir?: NirFacts;
    }
  | {
      readonly type: 'DeclareMedecinTraitant';
      readonly patientId: string;
      readonly rpps: string;
      readonly centreFiness: string;
      readonly effectiveDate: IsoDate;
      readonly channel: DeclarationChannel;
      readonly attributionId: string;
      readonly facts: GpFacts;
      readonly today: IsoDate;
    }
  | {
      readonly type: 'EndAttribution';
      readonly patientId: string;
      readonly endDate: IsoDate;
      readonly reason: EndReason;
      /** The calling centre's FINESS when a centre ends it: then the attribution must be at that centre. */
      readonly actingCentreFiness?: string;
    }
  | { readonly type: 'EnrolOnWaitlist'; readonly patientId: string; readonly since: IsoDate; readonly enrolledBy: Enroller }
  | {
      readonly type: 'ProposeGp';
      readonly patientId: string;
      readonly target: Practitioner & { readonly distanceKm: number };
      readonly proposedOn: IsoDate;
    }
  | {
      readonly type: 'ConfirmProposal';
      readonly patientId: string;
      readonly proposalId: string;
      readonly today: IsoDate;
      /** The proposed GP's facts, read before the write; absent when no proposal was pending then. */
      readonly facts?: GpFacts;
      /** The calling centre's FINESS when a centre answers: then the proposal must have gone to it. */
      readonly actingCentreFiness?: string;
    }
  | {
      readonly type: 'DeclineProposal';
      readonly patientId: string;
      readonly proposalId: string;
      readonly reason: string;
      /** The calling centre's FINESS when a centre answers: then the proposal must have gone to it. */
      readonly actingCentreFiness?: string;
    }
  | (DepartureStep & {
      readonly type: 'ReattributeOnDeparture';
      readonly colleague: Practitioner;
      readonly attributionId: string;
      /** The colleague's capacity by the norms today (a coordinator's figure on the panel wins). */
      readonly normCapacity: number;
    })
  | (DepartureStep & { readonly type: 'WaitlistOnDeparture'; readonly reason: EndReason })
  | {
      readonly type: 'ImportPatient';
      readonly patientId: string;
      readonly profile: PatientProfile;
      readonly declaration: Declaration;
      readonly normCapacity: number;
    }
  /** GDPR art. 17: `on` is today; the key that seals the profile is destroyed after the write. */
  | { readonly type: 'ErasePatient'; readonly patientId: string; readonly on: IsoDate };

/**
 * Every decision on a patient, pure: over the patient's state, the states of the panels it
 * involves (`panelsRead` names them) and the facts the command carries (the GP's assignments
 * and capacity, read once before the write; today's date). Panel events carry their GP's RPPS,
 * which is how `byStream` sends each to its panel's stream.
 */
export const attributionDecider: Decider<AttributionCommand, AttributionScope, AttributionEvent> = {
  initialState: () => ({ patient: initialPatientState(), panels: new Map() }),
  evolve(scope, event) {
    if (!isPanelEvent(event)) return { ...scope, patient: evolvePatient(scope.patient, event) };
    const panels = new Map(scope.panels);
    panels.set(event.data.rpps, evolvePanel(panels.get(event.data.rpps) ?? initialPanelState(), event));
    return { ...scope, panels };
  },
  decide(command, scope) {
    const { patient } = scope;
    const id = command.patientId;
    switch (command.type) {
      case 'RegisterPatient':
        return registerPatient(patient, id, command.profile);
      case 'UpdatePatient': {
        const profile: PatientProfile = { ...requireRegistered(patient, id).profile, ...command.changes };
        checkProfile(profile, command.today);
        if (command.nir) checkAgainstNirFacts(command.nir, profile);
        return updatePatient(patient, id, profile);
      }
      case 'DeclareMedecinTraitant': {
        const { facts } = command;
        const centre = requireMemberCentre(facts.centre, command.centreFiness, command.effectiveDate);
        const assignment = requireAssignedGp(facts.assignments, command.rpps, centre.finess, command.effectiveDate, command.today);
        const d: Declaration = {
          rpps: command.rpps,
          professionalId: assignment.professionalId,
          centreFiness: centre.finess,
          attributionId: command.attributionId,
          effectiveDate: command.effectiveDate,
          channel: command.channel,
        };
        return declareWithPanels(scope, id, d, gpCapacity(facts, command.today));
      }
      case 'EndAttribution':
        requireAttributedAt(requireRegistered(patient, id), id, command.actingCentreFiness);
        return endWithPanel(scope, id, command);
      case 'EnrolOnWaitlist':
        return enrolOnWaitlist(patient, id, { since: command.since, enrolledBy: command.enrolledBy, topPriority: false });
      case 'ProposeGp': {
        // Named by the patient and the count of proposals made: the same on every attempt.
        const proposalId = nameBasedUuid(`${id}:proposal:${patient.proposals.size}`);
        return propose(patient, id, { ...command.target, proposalId, proposedOn: command.proposedOn });
      }
      case 'ConfirmProposal': {
        requireProposalOf(patient, command.proposalId, command.actingCentreFiness);
        const proposal = pendingProposal(patient, command.proposalId, 'confirmed');
        if (!proposal) return [];
        if (!command.facts) throw new Error(`proposal ${command.proposalId} is pending, but the GP's facts were not read`);
        requireMemberCentre(command.facts.centre, proposal.centreFiness, command.today);
        requireAssignedGp(command.facts.assignments, proposal.rpps, proposal.centreFiness, command.today, command.today);
        const d: Declaration = {
          rpps: proposal.rpps,
          professionalId: proposal.professionalId,
          centreFiness: proposal.centreFiness,
          attributionId: nameBasedUuid(`${command.proposalId}:attribution`),
          effectiveDate: command.today,
          channel: 'waitlist_match',
          proposalId: command.proposalId,
        };
        return declareWithPanels(scope, id, d, gpCapacity(command.facts, command.today));
      }
      case 'DeclineProposal':
        requireProposalOf(patient, command.proposalId, command.actingCentreFiness);
        return declineProposal(patient, id, command.proposalId, command.reason);
      case 'ReattributeOnDeparture': {
        const current = patient.current;
        if (!current || current.attributionId !== command.departedAttributionId) return [];
        const d: Declaration = {
          ...command.colleague,
          attributionId: command.attributionId,
          effectiveDate: current.start > command.endDate ? current.start : command.endDate,
          channel: 'reattribution',
          departureId: command.departureId,
        };
        return declareWithPanels(scope, id, d, command.normCapacity);
      }
      case 'WaitlistOnDeparture': {
        const current = patient.current;
        if (!current || current.attributionId !== command.departedAttributionId) return [];
        const endDate = current.start > command.endDate ? current.start : command.endDate;
        const ending = endWithPanel(scope, id, { endDate, reason: command.reason, departureId: command.departureId });
        if (patient.waitlist) return ending;
        const after = ending.reduce(attributionDecider.evolve, scope).patient;
        return [
          ...ending,
          ...enrolOnWaitlist(after, id, { since: endDate, enrolledBy: { kind: 'departure', departureId: command.departureId }, topPriority: true }),
        ];
      }
      case 'ImportPatient': {
        // An already registered patient keeps their profile; the same médecin traitant is left as it is.
        const registration = patient.patientId === undefined ? registerPatient(patient, id, command.profile) : [];
        const registered = registration.reduce(attributionDecider.evolve, scope);
        return [...registration, ...declareWithPanels(registered, id, command.declaration, command.normCapacity)];
      }
      case 'ErasePatient': {
        const [first, ...rest] = erasePatient(patient, id, command.on);
        if (first?.type !== 'AttributionEnded') return first ? [first, ...rest] : [];
        // The GP's panel gets the place back, as at any other end.
        const ended = first.data;
        const leaving = leavePanel(panelOf(scope, ended.rpps), ended.rpps, {
          patientId: id,
          attributionId: ended.attributionId,
          centreFiness: ended.centreFiness,
          endDate: ended.endDate,
          reason: ended.reason,
        });
        return [first, ...leaving, ...rest];
      }
    }
  },
};

/** The panels (by RPPS) a command's decision reads: the GP it names and the patient's current one. */
export function panelsRead(command: AttributionCommand, patient: PatientState): string[] {
  const current = patient.current?.rpps;
  switch (command.type) {
    case 'DeclareMedecinTraitant':
      return present(command.rpps, current);
    case 'ImportPatient':
      return present(command.declaration.rpps, current);
    case 'ReattributeOnDeparture':
      return present(command.colleague.rpps, current);
    case 'ConfirmProposal': {
      const proposal = patient.pendingProposal;
      return proposal?.proposalId === command.proposalId ? present(proposal.rpps, current) : [];
    }
    case 'EndAttribution':
    case 'WaitlistOnDeparture':
    case 'ErasePatient':
      return present(current);
    default:
      return [];
  }
}

/** A decision's events by stream: the patient's, and each panel's by RPPS. */
export function byStream(events: readonly AttributionEvent[]): Decided<PatientEvent, PanelEvent> {
  const related = new Map<string, PanelEvent[]>();
  for (const event of events.filter(isPanelEvent)) related.set(event.data.rpps, [...(related.get(event.data.rpps) ?? []), event]);
  return { events: events.filter((e): e is PatientEvent => !isPanelEvent(e)), related };
}

const PANEL_EVENT_TYPES: ReadonlySet<string> = new Set<PanelEvent['type']>(['PanelPatientJoined', 'PanelPatientLeft', 'PanelCapacitySet']);
const isPanelEvent = (event: AttributionEvent): event is PanelEvent => PANEL_EVENT_TYPES.has(event.type);
const present = (...rpps: (string | undefined)[]): string[] => rpps.filter((r): r is string => r !== undefined);

/**
 * The patient's declaration and its panel side: the new GP's panel takes the patient (within
 * capacity: a coordinator's figure, else `normCapacity`) and the previous GP's panel lets them
 * go. A change of centre with the same GP leaves the panel's size as it was.
 */
function declareWithPanels(scope: AttributionScope, patientId: string, d: Declaration, normCapacity: number): AttributionEvent[] {
  const patientEvents = declare(scope.patient, patientId, d);
  const declared = patientEvents[0];
  if (!declared) return [];
  const replaced = declared.data.replaces;
  const leaving = (rpps: string, from: PanelState): PanelEvent[] =>
    replaced
      ? leavePanel(from, rpps, {
          patientId,
          attributionId: replaced.attributionId,
          centreFiness: replaced.centreFiness,
          endDate: d.effectiveDate,
          reason: 'replaced',
        })
      : [];
  let panel = panelOf(scope, d.rpps);
  const events: AttributionEvent[] = [...patientEvents];
  if (replaced?.rpps === d.rpps) {
    const left = leaving(d.rpps, panel);
    events.push(...left);
    panel = left.reduce(evolvePanel, panel);
  }
  const capacity = panel.capacityOverride ?? normCapacity;
  events.push(
    ...joinPanel(panel, d.rpps, capacity, { patientId, attributionId: d.attributionId, centreFiness: d.centreFiness, effectiveDate: d.effectiveDate }),
  );
  if (replaced && replaced.rpps !== d.rpps) events.push(...leaving(replaced.rpps, panelOf(scope, replaced.rpps)));
  return events;
}

/** The end of the current attribution and the patient leaving that GP's panel. */
function endWithPanel(scope: AttributionScope, patientId: string, end: { endDate: IsoDate; reason: EndReason; departureId?: string }): AttributionEvent[] {
  const events = endAttribution(scope.patient, patientId, end);
  const ended = events[0]!.data;
  return [
    ...events,
    ...leavePanel(panelOf(scope, ended.rpps), ended.rpps, {
      patientId,
      attributionId: ended.attributionId,
      centreFiness: ended.centreFiness,
      endDate: end.endDate,
      reason: end.reason,
    }),
  ];
}

const panelOf = (scope: AttributionScope, rpps: string): PanelState => scope.panels.get(rpps) ?? initialPanelState();
