import { randomUUID } from 'node:crypto';
import { ValidationError, type CommandContext } from '@pcn/eventsourcing';
import { parseInput } from '@pcn/validation';
import type { IsoDate } from '../domain/iso-date';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import { joinPanel, leavePanel } from '../domain/panel/panel-decisions';
import type { PanelEvent } from '../domain/panel/panel-events';
import { evolvePanel } from '../domain/panel/panel-state';
import type { EndReason } from '../domain/patient/patient-events';
import { declare, endAttribution, type Declaration } from '../domain/patient/patient-decisions';
import { DirectorySnapshot } from './directory-snapshot';
import { capacityOf, requireAssignedGp, requireMemberCentre } from './gp-eligibility';
import type { NirPseudonymiser } from './patient-identity';
import { hidingIdOfNir, resolvePatient, type PatientRef } from './patient-ref';
import { attributionHistory, patientView } from './patient-views';
import type { Decision, DecisionScope, PatientWriter } from './patient-writer';
import { today, type Clock, type PractitionerDirectory } from './ports';
import { declareInput, endAttributionInput } from './schemas';
import type { AttributionHistoryView, PatientView } from './views';

export interface AttributionsDeps {
  readonly writer: PatientWriter;
  readonly directory: PractitionerDirectory;
  readonly norms: PanelNorms;
  readonly clock: Clock;
  readonly identity: NirPseudonymiser;
}

/** Declarations of médecin traitant and their ends: the patient's stream and the panels at once. */
export class Attributions {
  constructor(private readonly deps: AttributionsDeps) {}

  async declare(ref: PatientRef, input: unknown, context?: CommandContext): Promise<PatientView> {
    const patientId = resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      const command = parseInput(declareInput, input);
      const day = today(this.deps.clock);
      if (command.effectiveDate > day) throw ValidationError.field('effectiveDate', `must not be after today (${day}): a declaration takes effect once signed`);
      // One round trip for the directory, one for the patient's stream (the panel comes from the
      // panel book when it knows it), one for the append.
      const directory = await DirectorySnapshot.read(this.deps.directory, command.centreFiness, command.rpps);
      const centre = await requireMemberCentre(directory, command.centreFiness, command.effectiveDate);
      const assignment = await requireAssignedGp(directory, command.rpps, centre.finess, command.effectiveDate, day);
      const normCapacity = await capacityOf(directory, this.deps.norms, command.rpps, day);
      const outcome = await this.deps.writer.write(
        patientId,
        (scope) =>
          this.declaration(
            scope,
            patientId,
            {
              rpps: command.rpps,
              professionalId: assignment.professionalId,
              centreFiness: centre.finess,
              attributionId: randomUUID(),
              effectiveDate: command.effectiveDate,
              channel: command.channel,
            },
            normCapacity,
          ),
        { ...(context && { context }), command: { patientId, ...command }, panels: [command.rpps] },
      );
      return patientView(outcome.patient, patientId);
    });
  }

  async end(ref: PatientRef, input: unknown, context?: CommandContext): Promise<PatientView> {
    const patientId = resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      const command = parseInput(endAttributionInput, input);
      const day = today(this.deps.clock);
      if (command.endDate > day) throw ValidationError.field('endDate', `must not be after today (${day})`);
      const outcome = await this.deps.writer.write(patientId, (scope) => this.ending(scope, patientId, command), {
        ...(context && { context }),
        command: { patientId, ...command },
      });
      return patientView(outcome.patient, patientId);
    });
  }

  async history(ref: PatientRef): Promise<AttributionHistoryView> {
    const patientId = resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      return attributionHistory(await this.deps.writer.load(patientId), patientId);
    });
  }

  /**
   * The patient's declaration and its panel side: the new GP's panel takes the patient (within
   * capacity) and the previous GP's panel lets them go. A change of centre with the same GP
   * leaves the panel's size as it was. `normCapacity` (FTE × norm today), when the caller has it,
   * saves reading the GP's assignments again.
   */
  async declaration(scope: DecisionScope, patientId: string, d: Declaration, normCapacity?: number): Promise<Decision> {
    const patientEvents = declare(scope.patient.state, patientId, d);
    const declared = patientEvents[0];
    if (!declared) return { patient: [] };
    const replaced = declared.data.replaces;
    let panel = await scope.panel(d.rpps);
    const panelEvents: PanelEvent[] = [];
    if (replaced && replaced.rpps === d.rpps) {
      const left = leavePanel(panel, d.rpps, {
        patientId,
        attributionId: replaced.attributionId,
        centreFiness: replaced.centreFiness,
        endDate: d.effectiveDate,
        reason: 'replaced',
      });
      panelEvents.push(...left);
      panel = left.reduce(evolvePanel, panel);
    }
    const capacity = panel.capacityOverride ?? normCapacity ?? (await capacityOf(this.deps.directory, this.deps.norms, d.rpps, today(this.deps.clock)));
    panelEvents.push(
      ...joinPanel(panel, d.rpps, capacity, { patientId, attributionId: d.attributionId, centreFiness: d.centreFiness, effectiveDate: d.effectiveDate }),
    );
    const panels = new Map<string, readonly PanelEvent[]>([[d.rpps, panelEvents]]);
    if (replaced && replaced.rpps !== d.rpps) {
      const previous = await scope.panel(replaced.rpps);
      panels.set(
        replaced.rpps,
        leavePanel(previous, replaced.rpps, {
          patientId,
          attributionId: replaced.attributionId,
          centreFiness: replaced.centreFiness,
          endDate: d.effectiveDate,
          reason: 'replaced',
        }),
      );
    }
    return { patient: patientEvents, panels, note: d.rpps };
  }

  /** The end of the current attribution and the patient leaving that GP's panel. */
  async ending(scope: DecisionScope, patientId: string, end: { endDate: IsoDate; reason: EndReason; departureId?: string }): Promise<Decision> {
    const events = endAttribution(scope.patient.state, patientId, end);
    const ended = events[0]!.data;
    const panel = await scope.panel(ended.rpps);
    return {
      patient: events,
      panels: new Map([
        [
          ended.rpps,
          leavePanel(panel, ended.rpps, {
            patientId,
            attributionId: ended.attributionId,
            centreFiness: ended.centreFiness,
            endDate: end.endDate,
            reason: end.reason,
          }),
        ],
      ]),
    };
  }
}
