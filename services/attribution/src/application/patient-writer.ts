import { setTimeout as sleep } from 'node:timers/promises';
import {
  CommandAbortedError,
  ConcurrencyError,
  ValidationError,
  commandFingerprint,
  eventMetadata,
  nameBasedUuid,
  type CommandContext,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '@pcn/eventsourcing';
import { randomUUID } from 'node:crypto';
import type { PanelEvent } from '../domain/panel/panel-events';
import { evolvePanel, type PanelState } from '../domain/panel/panel-state';
import type { PatientEvent } from '../domain/patient/patient-events';
import { evolvePatient, initialPatientState, type PatientState } from '../domain/patient/patient-state';
import { attributionEventSchemas } from './event-schemas';
import type { PanelBook } from './panel-book';
import type { Clock } from './ports';
import { panelStream, patientStream } from './stream-ids';

export interface LoadedPatient {
  readonly state: PatientState;
  /** Revision of the patient's stream (-1: not registered). */
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** What a decision sees: the patient, and any panel it asks for (read at a revision that the append then checks). */
export interface DecisionScope {
  readonly patient: LoadedPatient;
  panel(rpps: string): Promise<PanelState>;
}

export interface Decision {
  readonly patient: readonly PatientEvent[];
  readonly panels?: ReadonlyMap<string, readonly PanelEvent[]>;
  /** Passed through to the caller (e.g. which GP a re-attribution chose). */
  readonly note?: string;
}

export interface WriteOutcome {
  readonly patient: LoadedPatient;
  /** Events this write appended (empty when nothing changed or on a replay). */
  readonly appended: readonly NewEvent[];
  readonly lastPosition?: number;
  readonly note?: string;
}

export interface WriteOptions {
  /** The patient's version the caller last saw: a mismatch is refused, never retried. */
  readonly expectedVersion?: number;
  readonly context?: CommandContext;
  /**
   * Names the events so a repeat appends the same ids (the departure process: one name per
   * departure and patient). A client's idempotency key in the context does the same.
   */
  readonly idempotencyName?: string;
  /** The command as the caller gave it: a repeat under the same idempotency key must be the same. */
  readonly command?: unknown;
  /** Panels the decision will ask for: read alongside the patient's stream unless the panel book knows them. */
  readonly panels?: readonly string[];
}

/** Attempts under contention: enough for dozens of declarations racing for one GP's panel. */
const MAX_ATTEMPTS = 60;

/**
 * Decides on a patient and the panels the decision touches, then appends to all of them at once
 * with the revisions that were read (`appendMany`, docs/adr/0015). A concurrent writer on any of
 * those streams makes the append fail as a whole; the decision is then taken again on fresh
 * state. So N simultaneous declarations for the last k places of a panel admit exactly k, and
 * simultaneous declarations for one patient leave exactly one médecin traitant.
 */
export class PatientWriter {
  constructor(
    private readonly store: EventStore,
    private readonly panels: PanelBook,
    private readonly clock: Clock,
  ) {}

  async load(patientId: string): Promise<LoadedPatient> {
    const events = (await this.store.readStream(patientStream(patientId))).map((e) => attributionEventSchemas.upcast(e));
    const state = events.reduce((s, e) => evolvePatient(s, { type: e.type, data: e.data } as PatientEvent), initialPatientState());
    return { state, revision: events.length - 1, events };
  }

  async write(patientId: string, decide: (scope: DecisionScope) => Promise<Decision> | Decision, options: WriteOptions = {}): Promise<WriteOutcome> {
    const ctx = options.context ?? {};
    const name = options.idempotencyName ?? (ctx.idempotencyKey && `${patientStream(patientId)}:${ctx.idempotencyKey}`);
    for (let attempt = 1; ; attempt++) {
      if (ctx.signal?.aborted) throw new CommandAbortedError();
      // First attempt: panels as the book last saw them (no read; a stale one fails the append and
      // the next attempt reads its tail). With an expected version there is no next attempt.
      const optimistic = attempt === 1 && options.expectedVersion === undefined;
      const prefetch = new Map(
        (options.panels ?? []).filter((rpps) => !(optimistic && this.panels.known(rpps))).map((rpps) => [rpps, this.panels.load(rpps)] as const),
      );
      const loading = [...prefetch.values()];
      const patient = await this.load(patientId).finally(() => Promise.allSettled(loading));
      const fingerprint = name && options.command !== undefined ? commandFingerprint(options.command) : undefined;
      if (name) {
        const replay = findReplay(patient, patientId, name, fingerprint);
        if (replay) return replay;
      }
      if (options.expectedVersion !== undefined && options.expectedVersion !== patient.revision) {
        throw new ConcurrencyError(patientStream(patientId), String(options.expectedVersion), patient.revision === -1 ? 'no_stream' : String(patient.revision));
      }
      const read = new Map<string, number>();
      const readStates = new Map<string, PanelState>();
      const decision = await decide({
        patient,
        panel: async (rpps) => {
          const loaded = (optimistic && this.panels.known(rpps)) || (await (prefetch.get(rpps) ?? this.panels.load(rpps)));
          read.set(rpps, loaded.revision);
          readStates.set(rpps, loaded.state);
          return loaded.state;
        },
      });
      const panelWrites = [...(decision.panels ?? new Map<string, readonly PanelEvent[]>())].filter(([, events]) => events.length > 0);
      if (decision.patient.length === 0 && panelWrites.length === 0) return { patient, appended: [], ...(decision.note && { note: decision.note }) };

      const occurredAt = this.clock.now();
      const appends: StreamAppend[] = [
        {
          streamId: patientStream(patientId),
          expectedRevision: patient.revision === -1 ? 'no_stream' : patient.revision,
          events: this.toNew(patientStream(patientId), decision.patient, ctx, occurredAt, name, fingerprint),
        },
        ...panelWrites.map(([rpps, events]) => {
          const revision = read.get(rpps);
          if (revision === undefined) throw new Error(`the decision wrote panel ${rpps} without reading it first`);
          return {
            streamId: panelStream(rpps),
            expectedRevision: revision === -1 ? ('no_stream' as const) : revision,
            events: this.toNew(panelStream(rpps), events, ctx, occurredAt, name, fingerprint),
          };
        }),
      ];
      try {
        const result = await this.store.appendMany(appends);
        if (!result.idempotentReplay) this.rememberPanels(panelWrites, read, readStates, result.streams.slice(1));
        const state = decision.patient.reduce(evolvePatient, patient.state);
        const revision = result.streams[0]!.nextExpectedRevision;
        // The patient's stream is always in the append, written or not, so that its revision is checked.
        return {
          patient: { state, revision, events: patient.events },
          appended: appends.flatMap((a) => a.events),
          lastPosition: result.lastPosition,
          ...(decision.note && { note: decision.note }),
        };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || options.expectedVersion !== undefined || attempt >= MAX_ATTEMPTS) throw error;
        // Spread the racers out a little so a hot panel is not a thundering herd.
        await sleep(Math.random() * Math.min(20, attempt * 2));
      }
    }
  }

  /** The panels as this write left them, so the next decision on them needs no read. */
  private rememberPanels(
    writes: readonly (readonly [string, readonly PanelEvent[]])[],
    read: ReadonlyMap<string, number>,
    states: ReadonlyMap<string, PanelState>,
    revisions: readonly { nextExpectedRevision: number }[],
  ): void {
    writes.forEach(([rpps, events], i) => {
      this.panels.wrote(rpps, read.get(rpps)!, { state: events.reduce(evolvePanel, states.get(rpps)!), revision: revisions[i]!.nextExpectedRevision });
    });
  }

  private toNew(
    streamId: string,
    events: readonly { type: string; data: unknown }[],
    ctx: CommandContext,
    occurredAt: Date,
    name: string | undefined,
    fingerprint: string | undefined,
  ): NewEvent[] {
    return newEvents(streamId, events, eventMetadata(ctx, occurredAt, fingerprint), name);
  }
}

/**
 * The events of one stream of a write. Named writes (`name`) get ids derived from the name, the
 * stream and the index, so a repeat of the write, by any path, carries the same ids.
 */
export function newEvents(streamId: string, events: readonly { type: string; data: unknown }[], metadata: EventMetadata, name: string | undefined): NewEvent[] {
  return events.map((event, i) => ({
    id: name ? nameBasedUuid(`${name}:${streamId}:${i}`) : randomUUID(),
    type: event.type,
    schemaVersion: attributionEventSchemas.versionOf(event.type),
    data: event.data,
    metadata,
  }));
}

/** A command named like one already appended: its events are there, nothing is written again. */
function findReplay(patient: LoadedPatient, patientId: string, name: string, fingerprint: string | undefined): WriteOutcome | undefined {
  const firstId = nameBasedUuid(`${name}:${patientStream(patientId)}:0`);
  const first = patient.events.find((e) => e.id === firstId);
  if (!first) return undefined;
  // Two commands under one idempotency key must be the same command.
  if (fingerprint !== undefined && first.metadata.commandFingerprint !== undefined && first.metadata.commandFingerprint !== fingerprint) {
    throw ValidationError.field('idempotencyKey', 'was already used for a different request: use a new key for a new request');
  }
  return { patient, appended: [], lastPosition: first.position };
}
