import { NotFoundError, PreconditionFailedError, type CommandContext } from '@pcn/eventsourcing';
import { haversineKm } from '@pcn/referential';
import { parseInput } from '@pcn/validation';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import { pendingProposal } from '../domain/patient/patient-decisions';
import type { Enroller, ProposalMade } from '../domain/patient/patient-events';
import { matchWaitlist, type OpenSlot } from '../domain/waitlist/matching';
import { capacityOf, memberCentre, readGpFacts } from './gp-eligibility';
import type { PanelBook } from './panel-book';
import type { PatientIdentity } from './patient-identity';
import { hidingIdOfNir, resolvePatient, type PatientRef } from './patient-ref';
import { patientView } from './patient-views';
import { written, type PatientCommands } from './patient-commands';
import { today, type Clock, type PractitionerDirectory } from './ports';
import type { AttributionReadModel } from './read-model';
import { confirmInput, declineInput, enrolInput, matchInput } from './schemas';
import { centreLocation, communeLocation, territoryName } from './territories';
import type { MatchView, PatientView, ProposalView } from './views';
import { centreStatusOn } from '../domain/centre/centre-membership';
import { actingCentre, type Acting } from './acting';
import { requireProposalOf } from '../domain/patient/centre-scope';

export interface WaitlistDeps {
  readonly commands: PatientCommands;
  readonly panels: PanelBook;
  readonly directory: PractitionerDirectory;
  readonly readModel: AttributionReadModel;
  readonly norms: PanelNorms;
  readonly clock: Clock;
  readonly identity: PatientIdentity;
  /** Default reach of a match when the request names none. */
  readonly maxDistanceKm: number;
}

/** Patients without a médecin traitant: their place in line, and the proposals that end the wait. */
export class Waitlist {
  constructor(private readonly deps: WaitlistDeps) {}

  async enrol(ref: PatientRef, input: unknown, context?: CommandContext): Promise<PatientView> {
    const patientId = await resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      const { centreFiness } = parseInput(enrolInput, input);
      const day = today(this.deps.clock);
      if (centreFiness !== undefined) await memberCentre(this.deps.directory, centreFiness, day);
      const enrolledBy: Enroller = centreFiness !== undefined ? { kind: 'centre', centreFiness } : { kind: 'coordinator' };
      const result = await this.deps.commands.handle(
        { type: 'EnrolOnWaitlist', patientId, since: day, enrolledBy },
        { ...(context && { context }), request: { patientId, enrolledBy } },
      );
      return patientView(written(result), patientId);
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
        const { patientId, ...target } = match;
        const result = await this.deps.commands.handle(
          { type: 'ProposeGp', patientId, target, proposedOn: day },
          { ...(context && { context: { ...context, idempotencyKey: undefined } }) },
        );
        const proposalId = (result.events[0] as ProposalMade).data.proposalId;
        proposals.push({ ...match, proposalId, proposedOn: day });
      } catch (error) {
        // The patient was declared, or got a proposal from a concurrent run, since the read model said otherwise.
        if (!(error instanceof PreconditionFailedError)) throw error;
        unmatched.push({ patientId: match.patientId, reason: 'changed_meanwhile' });
      }
    }
    return { proposals, unmatched, considered: waiting.length };
  }

  /**
   * The centre accepts: the proposal becomes a declaration, with the GP's eligibility and capacity
   * checked again. A centre (`acting`) answers only the proposals made to it (the decider checks).
   */
  async confirm(input: unknown, context?: CommandContext, acting: Acting = {}): Promise<PatientView> {
    const { proposalId } = parseInput(confirmInput, input);
    const patientId = await this.patientOf(proposalId);
    const day = today(this.deps.clock);
    // The proposed GP's facts, read once before the write (none when the proposal is answered already);
    // another centre's proposal is refused before its state or its GP is looked at.
    const { state } = await this.deps.commands.load(patientId);
    requireProposalOf(state, proposalId, acting.centreFiness);
    const proposal = pendingProposal(state, proposalId, 'confirmed');
    const facts = proposal && (await readGpFacts(this.deps.directory, this.deps.norms, proposal.centreFiness, proposal.rpps));
    const result = await this.deps.commands.handle(
      { type: 'ConfirmProposal', patientId, proposalId, today: day, ...(facts && { facts }), ...actingCentre(acting) },
      { ...(context && { context }), request: { proposalId, ...actingCentre(acting) } },
    );
    return patientView(written(result), patientId);
  }

  /** The centre declines: the patient keeps their place and their waiting date. */
  async decline(input: unknown, context?: CommandContext, acting: Acting = {}): Promise<PatientView> {
    const { proposalId, reason } = parseInput(declineInput, input);
    const patientId = await this.patientOf(proposalId);
    const result = await this.deps.commands.handle(
      { type: 'DeclineProposal', patientId, proposalId, reason, ...actingCentre(acting) },
      { ...(context && { context }), request: { proposalId, reason, ...actingCentre(acting) } },
    );
    return patientView(written(result), patientId);
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
