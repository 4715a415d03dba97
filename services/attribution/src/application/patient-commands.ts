import {
  CommandHandler,
  observeCommands,
  type CommandObserver,
  type EventStore,
  type HandleOptions,
  type HandleResult,
  type RecordedEvent,
} from '@pcn/eventsourcing';
import { attributionDecider, byStream, panelsRead, type AttributionCommand } from '../domain/attribution/attribution-decider';
import type { PatientEvent } from '../domain/patient/patient-events';
import { evolvePatient, initialPatientState, type PatientState } from '../domain/patient/patient-state';
import { attributionEventSchemas } from './event-schemas';
import type { PanelBook } from './panel-book';
import type { Clock } from './ports';
import { patientStream } from './stream-ids';

export interface LoadedPatient {
  readonly state: PatientState;
  /** Revision of the patient's stream (-1: not registered). */
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** Patients' states kept in memory by the command handler (a few hundred bytes each). */
export const CACHED_PATIENT_STATES = 50_000;

/** Attempts under contention: enough for dozens of declarations racing for one GP's panel. */
export const PATIENT_COMMAND_ATTEMPTS = 60;

/**
 * The attribution decider on the command handler: the patient's stream is the primary one, the
 * panels the decision reads (`panelsRead`) are related streams, all appended at once with the
 * revisions read (docs/adr/0015, 0021). A concurrent writer on any of them makes the append fail
 * as a whole, and the command is decided again on fresh state: so N simultaneous declarations
 * for the last k places of a panel admit exactly k, and simultaneous declarations for one
 * patient leave exactly one médecin traitant.
 */
export class PatientCommands {
  private readonly handler: CommandHandler<AttributionCommand, PatientState, PatientEvent>;

  constructor(
    store: EventStore,
    private readonly panels: PanelBook,
    options: { readonly clock: Clock; readonly onCommand?: CommandObserver },
  ) {
    this.handler = new CommandHandler(
      store,
      {
        initialState: initialPatientState,
        evolve: evolvePatient,
        decide: (command, patient) => byStream(attributionDecider.decide(command, { patient, panels: new Map() })).events,
      },
      {
        schemas: attributionEventSchemas,
        clock: options.clock,
        maxAttempts: PATIENT_COMMAND_ATTEMPTS,
        // A declaration usually follows the registration, or an earlier command, on this instance: one read less.
        cachedStates: { maxEntries: CACHED_PATIENT_STATES },
        ...(options.onCommand && { middleware: [observeCommands(options.onCommand)] }),
      },
    );
  }

  load(patientId: string): Promise<LoadedPatient> {
    return this.handler.load(patientStream(patientId));
  }

  handle(command: AttributionCommand, options: HandleOptions = {}): Promise<HandleResult<PatientState, PatientEvent>> {
    return this.handler.handleAcross(
      patientStream(command.patientId),
      {
        command: command.type,
        related: this.panels,
        reads: (patient) => panelsRead(command, patient),
        decide: (patient, panels) => byStream(attributionDecider.decide(command, { patient, panels })),
      },
      options,
    );
  }
}

/** A write's answer as the views take it: the patient's state and version after the command. */
export const written = (result: HandleResult<PatientState, PatientEvent>): LoadedPatient => ({ state: result.state, revision: result.revision, events: [] });
