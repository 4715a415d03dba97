import type { CommandContext } from '@pcn/eventsourcing';
import type { IsoDate } from '../domain/iso-date';
import { leavePanel } from '../domain/panel/panel-decisions';
import type { PanelEvent } from '../domain/panel/panel-events';
import { erasePatient } from '../domain/patient/patient-erasure';
import type { NirPseudonymiser } from './patient-identity';
import { hidingIdOfNir, resolvePatient, type PatientRef } from './patient-ref';
import type { Decision, DecisionScope, PatientWriter } from './patient-writer';
import { today, type Clock } from './ports';

/** The keys that seal patients' personal data in the store (one per patient). */
export interface PersonalDataKeys {
  /** Destroys the patient's key: what it sealed can no longer be read. Idempotent. */
  destroy(patientId: string): Promise<void>;
}

export interface ErasureView {
  readonly patientId: string;
  readonly erasedOn: IsoDate;
  /** The attribution the erasure ended, if the patient had one. */
  readonly endedAttributionId?: string;
}

/**
 * The right to erasure (GDPR art. 17) in an event-sourced store, by crypto-shredding: the
 * patient's stream gets `PatientErased` (and the end of their attribution, the panel's place
 * given back), then their key is destroyed, so the profile in every stored event is unreadable
 * while the events stay. The read model drops the patient on `PatientErased`; the relay tells
 * other services to do the same. A retried erasure appends nothing and destroys the key again,
 * which is harmless, so a failure between the two steps is repaired by a retry (docs/adr/0025).
 */
export class PatientErasure {
  constructor(
    private readonly deps: { readonly writer: PatientWriter; readonly keys: PersonalDataKeys; readonly identity: NirPseudonymiser; readonly clock: Clock },
  ) {}

  async erase(ref: PatientRef, context?: CommandContext): Promise<ErasureView> {
    const patientId = resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      const on = today(this.deps.clock);
      const outcome = await this.deps.writer.write(patientId, (scope) => this.decision(scope, patientId, on), {
        ...(context && { context }),
        command: { patientId, erase: true },
      });
      await this.deps.keys.destroy(patientId);
      return erasureView(patientId, [...outcome.patient.events, ...outcome.appended]);
    });
  }

  private async decision(scope: DecisionScope, patientId: string, on: IsoDate): Promise<Decision> {
    const events = erasePatient(scope.patient.state, patientId, on);
    const panels = new Map<string, readonly PanelEvent[]>();
    for (const e of events) {
      if (e.type !== 'AttributionEnded') continue;
      const d = e.data;
      panels.set(
        d.rpps,
        leavePanel(await scope.panel(d.rpps), d.rpps, {
          patientId,
          attributionId: d.attributionId,
          centreFiness: d.centreFiness,
          endDate: d.endDate,
          reason: d.reason,
        }),
      );
    }
    return { patient: events, panels };
  }
}

/** The erasure as the patient's events tell it (the panel events of the write carry other types). */
function erasureView(patientId: string, events: readonly { readonly type: string; readonly data: unknown }[]): ErasureView {
  const at = events.findIndex((e) => e.type === 'PatientErased');
  const erased = events[at];
  if (!erased) throw new Error(`the erasure of patient ${patientId} left no PatientErased event`);
  const before = events[at - 1];
  const ended = before?.type === 'AttributionEnded' ? (before.data as { attributionId: string }).attributionId : undefined;
  return { patientId, erasedOn: (erased.data as { erasedOn: IsoDate }).erasedOn, ...(ended && { endedAttributionId: ended }) };
}
