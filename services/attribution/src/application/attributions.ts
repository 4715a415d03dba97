import { randomUUID } from 'node:crypto';
import { ValidationError, type CommandContext } from '@pcn/eventsourcing';
import { parseInput } from '@pcn/validation';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import { readGpFacts } from './gp-eligibility';
import type { PatientIdentity } from './patient-identity';
import { hidingIdOfNir, resolvePatient, type PatientRef } from './patient-ref';
import { attributionHistory, patientView } from './patient-views';
import { written, type PatientCommands } from './patient-commands';
import { today, type Clock, type PractitionerDirectory } from './ports';
import { declareInput, endAttributionInput } from './schemas';
import { actingCentre, type Acting } from './acting';
import { requireVisibleTo } from '../domain/patient/centre-scope';
import type { AttributionHistoryView, PatientView } from './views';

export interface AttributionsDeps {
  readonly commands: PatientCommands;
  readonly directory: PractitionerDirectory;
  readonly norms: PanelNorms;
  readonly clock: Clock;
  readonly identity: PatientIdentity;
}

/** Declarations of médecin traitant and their ends: the patient's stream and the panels at once. */
export class Attributions {
  constructor(private readonly deps: AttributionsDeps) {}

  async declare(ref: PatientRef, input: unknown, context?: CommandContext): Promise<PatientView> {
    const patientId = await resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      const command = parseInput(declareInput, input);
      const day = today(this.deps.clock);
      if (command.effectiveDate > day) throw ValidationError.field('effectiveDate', `must not be after today (${day}): a declaration takes effect once signed`);
      // One round trip for the directory and one for the append: the patient's state comes from
      // the command handler's memory and the panel from the panel book when they know them (the
      // append's expected revisions are the check); otherwise one more to read them.
      const facts = await readGpFacts(this.deps.directory, this.deps.norms, command.centreFiness, command.rpps);
      const result = await this.deps.commands.handle(
        { type: 'DeclareMedecinTraitant', patientId, ...command, attributionId: randomUUID(), facts, today: day },
        { ...(context && { context }), request: { patientId, ...command } },
      );
      return patientView(written(result), patientId);
    });
  }

  /** A centre (`acting`) ends only an attribution at its own centre. */
  async end(ref: PatientRef, input: unknown, context?: CommandContext, acting: Acting = {}): Promise<PatientView> {
    const patientId = await resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      const command = parseInput(endAttributionInput, input);
      const day = today(this.deps.clock);
      if (command.endDate > day) throw ValidationError.field('endDate', `must not be after today (${day})`);
      const result = await this.deps.commands.handle(
        { type: 'EndAttribution', patientId, endDate: command.endDate, reason: command.reason, ...actingCentre(acting) },
        { ...(context && { context }), request: { patientId, ...command, ...actingCentre(acting) } },
      );
      return patientView(written(result), patientId);
    });
  }

  /** A centre (`acting`) reads the history of its own patients only. */
  async history(ref: PatientRef, acting: Acting = {}): Promise<AttributionHistoryView> {
    const patientId = await resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      const loaded = await this.deps.commands.load(patientId);
      const history = attributionHistory(loaded, patientId);
      requireVisibleTo(loaded.state, patientId, acting.centreFiness);
      return history;
    });
  }
}
