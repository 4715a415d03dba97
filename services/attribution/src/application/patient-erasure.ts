import type { CommandContext } from '@pcn/eventsourcing';
import type { IsoDate } from '../domain/iso-date';
import type { PatientCommands } from './patient-commands';
import type { PatientIdentity } from './patient-identity';
import { hidingIdOfNir, resolvePatient, type PatientRef } from './patient-ref';
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
 * attribution decider ends the patient's attribution (the panel's place given back) and appends
 * `PatientErased`, then the patient's key is destroyed, so the profile in every stored event is
 * unreadable while the events stay. The read model drops the patient on `PatientErased`; the
 * relay tells other services to do the same. A retried erasure appends nothing and destroys the
 * key again, which is harmless, so a failure between the two steps is repaired by a retry
 * (docs/adr/0025).
 */
export class PatientErasure {
  constructor(
    private readonly deps: { readonly commands: PatientCommands; readonly keys: PersonalDataKeys; readonly identity: PatientIdentity; readonly clock: Clock },
  ) {}

  async erase(ref: PatientRef, context?: CommandContext): Promise<ErasureView> {
    const patientId = await resolvePatient(ref, this.deps.identity);
    return hidingIdOfNir(ref, async () => {
      await this.deps.commands.handle(
        { type: 'ErasePatient', patientId, on: today(this.deps.clock) },
        { ...(context && { context }), request: { patientId, erase: true } },
      );
      await this.deps.keys.destroy(patientId);
      // Told from the stream, not the write: a retry appends nothing but answers the same.
      return erasureView(patientId, (await this.deps.commands.load(patientId)).events);
    });
  }
}

/** The erasure as the patient's stream tells it. */
function erasureView(patientId: string, events: readonly { readonly type: string; readonly data: unknown }[]): ErasureView {
  const at = events.findIndex((e) => e.type === 'PatientErased');
  const erased = events[at];
  if (!erased) throw new Error(`the erasure of patient ${patientId} left no PatientErased event`);
  const before = events[at - 1];
  const ended = before?.type === 'AttributionEnded' ? (before.data as { attributionId: string }).attributionId : undefined;
  return { patientId, erasedOn: (erased.data as { erasedOn: IsoDate }).erasedOn, ...(ended && { endedAttributionId: ended }) };
}
