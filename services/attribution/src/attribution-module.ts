import type { Router } from 'express';
import {
  CachingSubjectKeyStore,
  EventReactor,
  ProjectionRunner,
  SealedEventStore,
  SqlEventStore,
  SqlSubjectKeyStore,
  type EventStore,
  type RunnerLogger,
  type SqlClient,
} from '@pcn/eventsourcing';
import { Relay, type MessageBus, type RelayLogger, type Subscription } from '@pcn/messaging';
import { Attributions } from './application/attributions';
import type { AttributionServices } from './application/attribution-services';
import { DepartureBook, DepartureProcess } from './application/departures';
import { DueDepartures } from './application/due-departures';
import { attributionEventSchemas } from './application/event-schemas';
import { PatientImport } from './application/patient-import';
import { PanelBook } from './application/panel-book';
import { Panels } from './application/panels';
import { NirPseudonymiser } from './application/patient-identity';
import { resolveNirKey, type NirKeyGuardLogger, type NirKeySource } from './application/nir-key-guard';
import { SqlNirKeyFingerprints } from './adapters/persistence/sql-nir-key-fingerprints';
import { PatientErasure } from './application/patient-erasure';
import { PatientWriter } from './application/patient-writer';
import { Patients } from './application/patients';
import { systemClock, type Clock } from './application/ports';
import { Reports } from './application/reports';
import { DEPARTURE_PREFIX, PATIENT_PREFIX } from './application/stream-ids';
import { personalDataSealing } from './application/personal-data';
import { Waitlist } from './application/waitlist';
import type { PanelNorms } from './domain/panel/panel-capacity';
import { attributionProjection } from './adapters/persistence/attribution-projection';
import { migrateDirectoryTables } from './adapters/persistence/directory-tables';
import { SqlAttributionReadModel } from './adapters/persistence/sql-attribution-read-model';
import { SqlPractitionerDirectory } from './adapters/persistence/sql-practitioner-directory';
import { ATTRIBUTION_REGISTRY_GROUP, REGISTRY_TOPIC, registryConsumer } from './adapters/messaging/registry-consumer';
import { ATTRIBUTION_STAFF_GROUP, STAFF_TOPIC, staffConsumer } from './adapters/messaging/staff-consumer';
import { attributionEventMapper } from './adapters/messaging/attribution-integration-events';
import { attributionRouter } from './adapters/http/attribution-router';
import { attributionOpenApi } from './adapters/http/openapi';

/**
 * Patients per full-time GP when nothing is configured. A planning figure, not a legal one:
 * set `PCN_ATTRIBUTION_PANEL_NORM` (and per centre type) to the network's own.
 */
export const DEFAULT_PANEL_NORMS: PanelNorms = { national: 1200, byCentreType: {} };
/** Reach of a waitlist match when the request names none. */
export const DEFAULT_MATCH_DISTANCE_KM = 30;

export interface AttributionModuleOptions {
  /** Database of the read model (and of the event store unless `store` is given). */
  readonly sql: SqlClient;
  /** SQL schema owned by the attribution service. */
  readonly schema?: string;
  /**
   * Event store; defaults to the SQL store in `schema`. Either way the module wraps it so that
   * patients' personal data are sealed with a key of their own (table `<schema>.subject_keys`).
   */
  readonly store?: EventStore;
  /**
   * Secret key of the NIR pseudonymisation (HMAC-SHA-256), at least 32 bytes, or where to load
   * (and on an empty store create) it. Checked against the fingerprint stored with the data.
   */
  readonly nirKey: string | Buffer | NirKeySource;
  readonly norms?: PanelNorms;
  readonly matchDistanceKm?: number;
  readonly clock?: Clock;
  readonly logger?: RunnerLogger & RelayLogger & Partial<NirKeyGuardLogger>;
  /**
   * The bus: attribution publishes `pcn.attribution.v1` and learns centres and GPs from
   * `pcn.registry.v1` and `pcn.staff.v1`. Without it, nothing is published and nothing learnt
   * (tests feed the directory).
   */
  readonly bus?: MessageBus;
  readonly readModelWaitMs?: number;
  /** Interval of the sweep for GP assignments that lapse on their planned date; 0 disables it. Default: one hour. */
  readonly dueDeparturesIntervalMs?: number;
  readonly onRelayProgress?: (position: number) => void;
  readonly onProjectionProgress?: (p: { projection: string; position: number }) => void;
  /** Events per page of the attribution projection (one transaction, one statement per table each). */
  readonly projectionPageSize?: number;
}

/** A page is applied set-based: larger pages cost few more statements, and a catch-up needs fewer of them. */
export const DEFAULT_PROJECTION_PAGE = 2000;

export interface AttributionModule extends AttributionServices {
  readonly store: EventStore;
  readonly projection: ProjectionRunner;
  readonly departures: EventReactor;
  readonly departureBook: DepartureBook;
  readonly dueDepartures: DueDepartures;
  readonly directory: SqlPractitionerDirectory;
  readonly readModel: SqlAttributionReadModel;
  /** Bulk onboarding of patients with their médecin traitant (the import-patients command). */
  readonly patientImport: PatientImport;
  readonly relay?: Relay;
  /** Mount at `/v1/attribution`. */
  readonly httpRouter: Router;
  readonly openApi: object;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createAttributionModule(options: AttributionModuleOptions): Promise<AttributionModule> {
  const schema = options.schema ?? 'attribution';
  const clock = options.clock ?? systemClock;
  const norms = options.norms ?? DEFAULT_PANEL_NORMS;
  const personalDataKeys = new CachingSubjectKeyStore(await SqlSubjectKeyStore.open(options.sql, schema));
  const store = new SealedEventStore(options.store ?? (await SqlEventStore.open(options.sql, schema)), personalDataSealing(personalDataKeys));
  const given = options.nirKey;
  const source: NirKeySource = typeof given === 'string' || Buffer.isBuffer(given) ? { description: 'the configured key', load: async () => given } : given;
  const identity = new NirPseudonymiser(
    await resolveNirKey({
      source,
      fingerprints: await SqlNirKeyFingerprints.open(options.sql, schema),
      holdsPatients: async () => (await store.headPosition({ streamPrefixes: [PATIENT_PREFIX] })) > 0,
      ...(options.logger && { logger: { warn: (obj, msg) => (options.logger!.warn ?? options.logger!.info).call(options.logger, obj, msg) } }),
    }),
  );
  await migrateDirectoryTables(options.sql, schema);
  const projection = new ProjectionRunner(store, options.sql, attributionProjection(schema), {
    schema,
    batchSize: options.projectionPageSize ?? DEFAULT_PROJECTION_PAGE,
    schemas: attributionEventSchemas,
    ...(options.logger && { logger: options.logger }),
    ...(options.onProjectionProgress && { onProgress: options.onProjectionProgress }),
  });
  const readModel = new SqlAttributionReadModel(
    options.sql,
    schema,
    projection,
    () => store.headPosition({ streamPrefixes: [PATIENT_PREFIX] }),
    options.readModelWaitMs ?? 5000,
  );
  const directory = new SqlPractitionerDirectory(options.sql, schema);
  const panelBook = new PanelBook(store);
  const writer = new PatientWriter(store, panelBook, clock);
  const attributions = new Attributions({ writer, directory, norms, clock, identity });
  const patients = new Patients(writer, identity, clock);
  const panels = new Panels(store, panelBook, directory, readModel, norms, clock);
  const waitlist = new Waitlist({
    writer,
    attributions,
    panels: panelBook,
    directory,
    readModel,
    norms,
    clock,
    identity,
    maxDistanceKm: options.matchDistanceKm ?? DEFAULT_MATCH_DISTANCE_KM,
  });
  const reports = new Reports(readModel, clock);
  const erasure = new PatientErasure({ writer, keys: personalDataKeys, identity, clock });
  const patientImport = new PatientImport({ store, writer, panels: panelBook, attributions, directory, norms, clock, identity });
  const departureBook = new DepartureBook(store, clock);
  const dueDepartures = new DueDepartures(directory, departureBook, clock, options.dueDeparturesIntervalMs ?? 3_600_000, options.logger);
  const departureProcess = new DepartureProcess({ store, writer, attributions, panels: panelBook, directory, readModel, norms, clock });
  const departures = new EventReactor(store, options.sql, {
    name: 'attribution-departures',
    schema,
    filter: { streamPrefixes: [DEPARTURE_PREFIX] },
    schemas: attributionEventSchemas,
    react: (event) => departureProcess.react(event),
    ...(options.logger && { logger: options.logger }),
  });
  const relay =
    options.bus &&
    new Relay(store, options.bus, options.sql, {
      name: 'attribution-relay',
      schema,
      filter: { streamPrefixes: [PATIENT_PREFIX] },
      map: attributionEventMapper(store),
      ...(options.logger && { logger: options.logger }),
      ...(options.onRelayProgress && { onProgress: options.onRelayProgress }),
    });
  const services: AttributionServices = { patients, attributions, panels, waitlist, reports, erasure };
  const subscriptions: Subscription[] = [];

  return {
    ...services,
    store,
    projection,
    departures,
    departureBook,
    dueDepartures,
    directory,
    readModel,
    patientImport,
    ...(relay && { relay }),
    httpRouter: attributionRouter(services),
    openApi: attributionOpenApi(),
    async start() {
      await projection.start();
      await departures.start();
      await relay?.start();
      if (options.bus) {
        const deps = { sql: options.sql, directory, departures: departureBook };
        subscriptions.push(await options.bus.subscribe({ topic: REGISTRY_TOPIC, groupId: ATTRIBUTION_REGISTRY_GROUP, handler: registryConsumer(deps) }));
        subscriptions.push(await options.bus.subscribe({ topic: STAFF_TOPIC, groupId: ATTRIBUTION_STAFF_GROUP, handler: staffConsumer(deps) }));
      }
      dueDepartures.start();
    },
    async stop() {
      await dueDepartures.stop();
      for (const s of subscriptions.splice(0)) await s.stop();
      await relay?.stop();
      await departures.stop();
      await projection.stop();
    },
  };
}
