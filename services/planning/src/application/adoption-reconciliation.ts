import type { RecordedEvent } from '@pcn/eventsourcing';
import type { SchemeEvent } from '../domain/scheme';
import type { AccreditedCentres, Schemes } from './schemes';

/** The schemes read model, as far as the reconciliation needs it: how far it has folded the log. */
export interface SchemesReadModel {
  waitForPosition(position: number, timeoutMs?: number): Promise<void>;
}

/**
 * When a scheme is adopted, marks fulfilled the proposals that centres accredited before
 * (and since the proposal was made) already fulfil: the registry consumer only finds schemes that
 * the read model shows adopted, so it missed them.
 *
 * It waits until the read model shows the adoption before reading the network. The consumer
 * records a centre, then reads the read model; this reads the network after the read model
 * changed: whichever reads second sees the other's write, so a centre accredited while the
 * adoption is written is never missed by both. Both may see it; the command's name makes that
 * one event (see `Schemes.recordCentreAccredited`). At least once: a failure is retried by the
 * reactor, and a run repeated finds nothing left to mark.
 */
export class AdoptionReconciliation {
  constructor(
    private readonly deps: {
      readonly schemes: Schemes;
      readonly centres: AccreditedCentres;
      readonly readModel: SchemesReadModel;
      /** How long to wait for the read model before giving up (the reactor retries the event). */
      readonly readModelWaitMs?: number;
    },
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    if (event.type !== 'SchemeAdopted') return;
    await this.deps.readModel.waitForPosition(event.position, this.deps.readModelWaitMs ?? 10_000);
    const { schemeId } = event.data as Extract<SchemeEvent, { type: 'SchemeAdopted' }>['data'];
    await this.deps.schemes.reconcileAdoption(schemeId, this.deps.centres, {
      actor: 'planning',
      causationId: event.id,
      ...(event.metadata.correlationId !== undefined && { correlationId: event.metadata.correlationId }),
    });
  }
}
