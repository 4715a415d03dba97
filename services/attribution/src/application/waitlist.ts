import { NotFoundError, PreconditionFailedError, nameBasedUuid, type CommandContext } from '@pcn/eventsourcing';
import { haversineKm } from '@pcn/referential';
import { parseInput } from '@pcn/validation';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import { declineProposal, enrolOnWaitlist, pendingProposal, propose } from '../domain/patient/patient-decisions';
import type { Enroller } from '../domain/patient/patient-events';
import { matchWaitlist, type OpenSlot } from '../domain/waitlist/matching';
import type { Attributions } from './attributions';
import { capacityOf, requireAssignedGp, requireMemberCentre } from './gp-eligibility';
import type { PanelBook } from './panel-book';
import type { NirPseudonymiser } from './patient-identity';
import { hidingIdOfNir, resolvePatient, type PatientRef } from './patient-ref';
import { patientView } from './patient-views';
import type { PatientWriter } from './patient-writer';
import { today, type Clock, type PractitionerDirectory } from './ports';
import type { AttributionReadModel } from './read-model';
import { confirmInput, declineInput, enrolInput, matchInput } from './schemas';
import { centreLocation, communeLocation, territoryName } from './territories';
import type { MatchView, PatientView, ProposalView } from './views';
import { centreStatusOn } from '../domain/centre/centre-membership';

export interface WaitlistDeps {
  readonly writer: PatientWriter;
  readonly attributions: Attributions;
  readonly panels: PanelBook;
  readonly directory: PractitionerDirectory;
  readonly readModel: AttributionReadModel;
  readonly norms: PanelNorms;
  readonly clock: Clock;
  readonly identity: NirPseudonymiser;
  /** Default reach of a match when the request names none. */
  readonly maxDistanceKm: number;
}

/** Patients without a médecin traitant: their place in line, and the proposals that end the wait. */
export class Waitlist {
  constructor(private readonly deps: WaitlistDeps) {}

  async enrol(ref: PatientRef, input: unknown, context?: CommandContext): Promise<PatientView> {
    const patientId = resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      const { centreFiness } = parseInput(enrolInput, input);
      const day = today(this.deps.clock);
      if (centreFiness !== undefined) await requireMemberCentre(this.deps.directory, centreFiness, day);
      const enrolledBy: Enroller = centreFiness !== undefined ? { kind: 'centre', centreFiness } : { kind: 'coordinator' };
      const outcome = await this.deps.writer.write(
        patientId,
        ({ patient }) => ({ patient: enrolOnWaitlist(patient.state, patientId, { since: day, enrolledBy, topPriority: false }) }),
        {
          ...(context && { context }),
          command: { patientId, enrolledBy },
        },
      );
      return patientView(outcome.patient, patientId);
    });
  }

  /**
   * Proposes a GP to each waiting patient of the territory, highest priority first, among GPs
   * with room at member centres within reach. Room counts the proposals still awaiting an answer,
   * so two runs do not promise one place twice.
   */
  async match(input: unknown, context?: CommandContext): Promise<MatchView> {
    const { territory, maxDistanceKm = this.deps.maxDistanceKm, limit } = parseInput(matchInput, input);
    territoryName(territory);
    const day = today(this.deps.clock);
    await this.deps.readModel.catchUp();
    const waiting = await this.deps.readModel.waiting(territory, day, limit);
    if (waiting.length === 0) return { proposals: [], unmatched: [], considered: 0 };

    const homes = [...new Set(waiting.map((p) => p.communeInsee))].flatMap((c) => communeLocation(c) ?? []);
    const centres = (await this.deps.directory.centres()).flatMap((centre) => {
      const location = centreLocation(centre);
      // A centre whose closure is announced takes no new patients; one accredited in advance, none before its day.
      const open = centre.closedOn === undefined && centreStatusOn(centre, day) === 'member';
      return open && location && homes.some((home) => haversineKm(home, location) <= maxDistanceKm) ? [{ centre, location }] : [];
    });
    const assignments = await this.deps.directory.assignmentsAtCentres(
      centres.map((c) => c.centre.finess),
      day,
    );
    const gps = [...new Set(assignments.map((a) => a.rpps))];
    const pending = await this.deps.readModel.pendingProposals(gps);
    const spare = new Map<string, number>();
    for (const rpps of gps) {
      const panel = await this.deps.panels.load(rpps);
      const capacity = await capacityOf(this.deps.directory, this.deps.norms, rpps, day, panel.state.capacityOverride);
      spare.set(rpps, capacity - panel.state.size - (pending.get(rpps) ?? 0));
    }
    const locationOf = new Map(centres.map((c) => [c.centre.finess, c.location]));
    const slots: OpenSlot[] = assignments.flatMap((a) => {
      const location = locationOf.get(a.centreFiness);
      const room = spare.get(a.rpps) ?? 0;
      return location && room > 0 ? [{ rpps: a.rpps, professionalId: a.professionalId, centreFiness: a.centreFiness, location, spare: room }] : [];
    });

    const result = matchWaitlist(waiting, communeLocation, slots, maxDistanceKm, day, haversineKm);
    const proposals: ProposalView[] = [];
    const unmatched: MatchView['unmatched'][number][] = [...result.unmatched];
    for (const match of result.proposals) {
      try {
        const outcome = await this.deps.writer.write(
          match.patientId,
          ({ patient }) => {
            const proposalId = nameBasedUuid(`${match.patientId}:proposal:${patient.state.proposals.size}`);
            const { patientId: _p, ...target } = match;
            return { patient: propose(patient.state, match.patientId, { ...target, proposalId, proposedOn: day }), note: proposalId };
          },
          { ...(context && { context: { ...context, idempotencyKey: undefined } }) },
        );
        proposals.push({ ...match, proposalId: outcome.note!, proposedOn: day });
      } catch (error) {
        // The patient was declared, or got a proposal from a concurrent run, since the read model said otherwise.
        if (!(error instanceof PreconditionFailedError)) throw error;
        unmatched.push({ patientId: match.patientId, reason: 'changed_meanwhile' });
      }
    }
    return { proposals, unmatched, considered: waiting.length };
  }

  /** The centre accepts: the proposal becomes a declaration, with the capacity checked again. */
  async confirm(input: unknown, context?: CommandContext): Promise<PatientView> {
    const { proposalId } = parseInput(confirmInput, input);
    const patientId = await this.patientOf(proposalId);
    const day = today(this.deps.clock);
    const outcome = await this.deps.writer.write(
      patientId,
      async (scope) => {
        const proposal = pendingProposal(scope.patient.state, proposalId, 'confirmed');
        if (!proposal) return { patient: [] };
        await requireMemberCentre(this.deps.directory, proposal.centreFiness, day);
        await requireAssignedGp(this.deps.directory, proposal.rpps, proposal.centreFiness, day, day);
        return this.deps.attributions.declaration(scope, patientId, {
          rpps: proposal.rpps,
          professionalId: proposal.professionalId,
          centreFiness: proposal.centreFiness,
          attributionId: nameBasedUuid(`${proposalId}:attribution`),
          effectiveDate: day,
          channel: 'waitlist_match',
          proposalId,
        });
      },
      { ...(context && { context }), command: { proposalId } },
    );
    return patientView(outcome.patient, patientId);
  }

  /** The centre declines: the patient keeps their place and their waiting date. */
  async decline(input: unknown, context?: CommandContext): Promise<PatientView> {
    const { proposalId, reason } = parseInput(declineInput, input);
    const patientId = await this.patientOf(proposalId);
    const outcome = await this.deps.writer.write(patientId, ({ patient }) => ({ patient: declineProposal(patient.state, patientId, proposalId, reason) }), {
      ...(context && { context }),
      command: { proposalId, reason },
    });
    return patientView(outcome.patient, patientId);
  }

  private async patientOf(proposalId: string): Promise<string> {
    const known = await this.deps.readModel.proposalPatient(proposalId);
    if (known) return known;
    await this.deps.readModel.catchUp();
    const caughtUp = await this.deps.readModel.proposalPatient(proposalId);
    if (!caughtUp) throw new NotFoundError('proposal', proposalId);
    return caughtUp;
  }
}
