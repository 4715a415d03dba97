import { z } from 'zod';
import { millisecondsSetting } from '@pcn/validation';
import { attributionV1 } from '@pcn/contracts';
import { CachingSubjectKeyStore, SealedEventStore, SqlSubjectKeyStore, type EventReactor } from '@pcn/eventsourcing';
import { ATTRIBUTION_TOPIC, REGISTRY_TOPIC, STAFF_TOPIC } from '@pcn/messaging';
import { composeService, defineService, type ServiceInputs, type ServiceModule, type ServiceParts } from '@pcn/service';
import { Attributions } from './application/attributions';
import type { AttributionServices } from './application/attribution-services';
import { DepartureBook, DepartureProcess, departureHandler } from './application/departures';
import { DueDepartures } from './application/due-departures';
import { attributionEventSchemas } from './application/event-schemas';
import { PatientImport } from './application/patient-import';
import { PanelBook } from './application/panel-book';
import { Panels } from './application/panels';
import { NirKey, NirKeyRing, NirKeyRotationError, beginNirKeyRotation } from './application/nir-key-ring';
import { resolveNirKey, type NirKeySource } from './application/nir-key-guard';
import { PatientCommands } from './application/patient-commands';
import { PatientErasure } from './application/patient-erasure';
import { personalDataSealing } from './application/personal-data';
import { Patients } from './application/patients';
import { CENTRE_TYPES } from './application/ports';
import { Reports } from './application/reports';
import { DEPARTURE_PREFIX, PANEL_PREFIX, PATIENT_PREFIX } from './application/stream-ids';
import { Waitlist } from './application/waitlist';
import type { PanelNorms } from './domain/panel/panel-capacity';
import { nirKeySource } from './adapters/files/nir-key-file';
import { SqlNirKeyFingerprints } from './adapters/persistence/sql-nir-key-fingerprints';
import { SqlPseudonymIndex } from './adapters/persistence/sql-pseudonym-index';
import { CachedPseudonymIndex } from './application/cached-pseudonym-index';
import { sealStoredPatients } from './adapters/persistence/seal-stored-patients';
import { attributionProjection } from './adapters/persistence/attribution-projection';
import { migrateDirectoryTables } from './adapters/persistence/directory-tables';
import { SqlAttributionReadModel } from './adapters/persistence/sql-attribution-read-model';
import { DEFAULT_DECLARATION_FACTS } from './adapters/persistence/recent-declaration-facts';
import { SqlPractitionerDirectory } from './adapters/persistence/sql-practitioner-directory';
import { ATTRIBUTION_REGISTRY_GROUP, registryConsumer } from './adapters/messaging/registry-consumer';
import { ATTRIBUTION_STAFF_GROUP, staffConsumer } from './adapters/messaging/staff-consumer';
import { attributionEventMapper } from './adapters/messaging/attribution-integration-events';
import { attributionRoutes } from './adapters/http/attribution-routes';
import { attributionGrpcService } from './adapters/grpc/attribution-grpc';

/** Every stream the attribution service writes (a KurrentDB store is filtered on them). */
export const ATTRIBUTION_STREAM_PREFIXES = [PATIENT_PREFIX, PANEL_PREFIX, DEPARTURE_PREFIX] as const;

/**
 * Patients per full-time GP when nothing is configured. A planning figure, not a legal one:
 * set `PCN_ATTRIBUTION_PANEL_NORM` (and per centre type) to the network's own.
 */
export const DEFAULT_PANEL_NORMS: PanelNorms = { national: 1200, byCentreType: {} };
/** Reach of a waitlist match when the request names none. */
export const DEFAULT_MATCH_DISTANCE_KM = 30;
/** A page is applied set-based: larger pages cost few more statements, and a catch-up needs fewer of them. */
export const DEFAULT_PROJECTION_PAGE = 2000;
/**
 * How long the projection lets the log fill after a partial page (docs/adr/0031): under
 * sustained declarations, one read-model transaction per ~50 ms instead of one per few events.
 * Read-your-writes reads (`catchUp`) cut it short.
 */
export const DEFAULT_PROJECTION_LINGER_MS = 50;

export interface AttributionOptions {
  /**
   * Secret key of the NIR pseudonymisation (HMAC-SHA-256), at least 32 bytes, or where to load
   * (and on an empty store create) it. Checked against the fingerprint stored with the data.
   */
  readonly nirKey: string | Buffer | NirKeySource;
  /**
   * During a rotation of the NIR key, the key in force before it (`nirKey` is the new one): NIRs
   * are looked up under both until every patient is re-keyed (docs/runbook.md).
   */
  readonly previousNirKey?: string | Buffer;
  readonly norms?: PanelNorms;
  readonly matchDistanceKm?: number;
  /** Interval of the sweep for GP assignments that lapse on their planned date; 0 disables it. Default: one hour. */
  readonly dueDeparturesIntervalMs?: number;
  /** Events per page of the attribution projection (one transaction, one statement per table each). */
  readonly projectionPageSize?: number;
  /** See DEFAULT_PROJECTION_LINGER_MS; 0 reads the next page at once. */
  readonly projectionLingerMs?: number;
  /**
   * How old, at most, the last look at the directory's change counter may be when a declaration
   * reuses the facts of a centre and a GP read earlier: a directory write by any instance is seen
   * within it (one through this process at once). 0 reads the facts for every declaration.
   * Default: 100 ms.
   */
  readonly directoryCheckIntervalMs?: number;
}

export interface AttributionApp extends AttributionServices {
  readonly departures: EventReactor;
  readonly departureBook: DepartureBook;
  readonly dueDepartures: DueDepartures;
  readonly directory: SqlPractitionerDirectory;
  readonly readModel: SqlAttributionReadModel;
  /** Bulk onboarding of patients with their médecin traitant (the import-patients command). */
  readonly patientImport: PatientImport;
}

/**
 * Attribution: REST `/v1/attribution`, gRPC `pcn.attribution.v1.Attribution`, topic
 * `pcn.attribution.v1`; learns centres and GPs from `pcn.registry.v1` and `pcn.staff.v1`.
 */
export const attributionService = defineService({
  name: 'attribution',
  streamPrefixes: ATTRIBUTION_STREAM_PREFIXES,
  publishes: ATTRIBUTION_TOPIC,
  consumes: [REGISTRY_TOPIC, STAFF_TOPIC],
  config: {
    shape: {
      PCN_ATTRIBUTION_NIR_KEY: z.string().min(32, 'must be at least 32 characters (a secret: e.g. openssl rand -hex 32)').optional(),
      PCN_ATTRIBUTION_NIR_KEY_PREVIOUS: z.string().min(32, 'must be at least 32 characters: the NIR key in force before the rotation').optional(),
      PCN_ATTRIBUTION_PANEL_NORM: z.coerce
        .number()
        .int('must be a whole number of patients per full-time GP')
        .min(1)
        .max(10_000)
        .default(DEFAULT_PANEL_NORMS.national),
      PCN_ATTRIBUTION_PANEL_NORMS_BY_TYPE: z
        .string()
        .regex(/^([a-z_]+=\d{1,5})(,[a-z_]+=\d{1,5})*$/, 'must be type=patients[,type=patients...], e.g. community_participatory=900')
        .transform((v) =>
          Object.fromEntries(
            v
              .split(',')
              .map((pair) => pair.split('='))
              .map(([type, n]) => [type!, Number(n)]),
          ),
        )
        .refine(
          (norms) => Object.keys(norms).every((t) => (CENTRE_TYPES as readonly string[]).includes(t)),
          `names a centre type other than ${CENTRE_TYPES.join(', ')}`,
        )
        .optional(),
      PCN_ATTRIBUTION_MATCH_DISTANCE_KM: z.coerce.number().positive('must be a distance in km greater than 0').max(200).default(DEFAULT_MATCH_DISTANCE_KM),
      PCN_ATTRIBUTION_PROJECTION_LINGER_MS: millisecondsSetting(
        1_000,
        DEFAULT_PROJECTION_LINGER_MS,
        'must be at most 1000 ms: readers who do not wait for their writes see the read model that much later',
      ),
      PCN_ATTRIBUTION_DIRECTORY_CHECK_MS: millisecondsSetting(
        60_000,
        DEFAULT_DECLARATION_FACTS.checkIntervalMs,
        'must be at most 60000 ms: a directory change made through another instance is seen that much later',
      ),
    },
    // Outside the embedded mode, several instances share the store: a key generated by each would differ.
    check: (settings, { store }) =>
      store !== 'pglite' && !settings.PCN_ATTRIBUTION_NIR_KEY
        ? [
            {
              variable: 'PCN_ATTRIBUTION_NIR_KEY',
              message: `is required when PCN_STORE=${store}: every instance must hash NIRs with the same secret key`,
            },
          ]
        : [],
  },
  configure: (settings, { deployment, logger }): AttributionOptions => ({
    nirKey: nirKeySource({ configured: settings.PCN_ATTRIBUTION_NIR_KEY, dataDir: deployment.dataDir }, logger),
    ...(settings.PCN_ATTRIBUTION_NIR_KEY_PREVIOUS && { previousNirKey: settings.PCN_ATTRIBUTION_NIR_KEY_PREVIOUS }),
    norms: { national: settings.PCN_ATTRIBUTION_PANEL_NORM, byCentreType: settings.PCN_ATTRIBUTION_PANEL_NORMS_BY_TYPE ?? {} },
    matchDistanceKm: settings.PCN_ATTRIBUTION_MATCH_DISTANCE_KM,
    projectionLingerMs: settings.PCN_ATTRIBUTION_PROJECTION_LINGER_MS,
    directoryCheckIntervalMs: settings.PCN_ATTRIBUTION_DIRECTORY_CHECK_MS,
  }),
  // Patients' personal data are sealed with a key of their own (table `<schema>.subject_keys`), whatever the store (ADR 0025).
  decorateStore: async (store, { sql, schema }) =>
    new SealedEventStore(store, personalDataSealing(new CachingSubjectKeyStore(await SqlSubjectKeyStore.open(sql, schema)))),
  async compose(ctx, options: AttributionOptions): Promise<ServiceParts<AttributionApp>> {
    const { sql, schema, store, clock, logger } = ctx;
    if (!(store instanceof SealedEventStore)) throw new Error('attribution composes on the sealing store its decorateStore makes');
    const norms = options.norms ?? DEFAULT_PANEL_NORMS;
    const given = options.nirKey;
    const source: NirKeySource = typeof given === 'string' || Buffer.isBuffer(given) ? { description: 'the configured key', load: async () => given } : given;
    const fingerprints = await SqlNirKeyFingerprints.open(sql, schema);
    const pseudonyms = await SqlPseudonymIndex.open(sql, schema);
    const previous = options.previousNirKey === undefined ? undefined : new NirKey(options.previousNirKey);
    if (previous) {
      const current = await source.load();
      if (current === undefined) throw new NirKeyRotationError(`a rotation needs the new NIR key (${source.description}) beside the previous one`);
      await beginNirKeyRotation({ store, index: pseudonyms, fingerprints, current: new NirKey(current), previous, ...(logger && { logger }) });
    }
    const currentKey = await resolveNirKey({
      source,
      fingerprints,
      holdsPatients: async () => (await store.headPosition({ streamPrefixes: [PATIENT_PREFIX] })) > 0,
      ...(logger && { logger }),
    });
    const identity = new NirKeyRing(new NirKey(currentKey), new CachedPseudonymIndex(pseudonyms), previous);
    if (previous) logger?.warn({ notRekeyed: await identity.notRekeyed() }, 'NIR key rotation under way: patients not re-keyed yet');
    await migrateDirectoryTables(sql, schema);
    const projection = ctx.projection(attributionProjection(schema), {
      batchSize: options.projectionPageSize ?? DEFAULT_PROJECTION_PAGE,
      schemas: attributionEventSchemas,
      lingerMs: options.projectionLingerMs ?? DEFAULT_PROJECTION_LINGER_MS,
    });
    const readModel = new SqlAttributionReadModel(
      sql,
      schema,
      projection,
      () => store.headPosition({ streamPrefixes: [PATIENT_PREFIX] }),
      ctx.readModelWaitMs ?? 5000,
    );
    const directory = new SqlPractitionerDirectory(sql, schema, {
      ...DEFAULT_DECLARATION_FACTS,
      ...(options.directoryCheckIntervalMs !== undefined && { checkIntervalMs: options.directoryCheckIntervalMs }),
    });
    const panelBook = new PanelBook(store);
    const commands = new PatientCommands(store, panelBook, { clock, ...(ctx.onCommand && { onCommand: ctx.onCommand }) });
    const attributions = new Attributions({ commands, directory, norms, clock, identity });
    const patients = new Patients(commands, identity, clock);
    const panels = new Panels(store, panelBook, directory, readModel, norms, clock, ctx.onCommand);
    const waitlist = new Waitlist({
      commands,
      panels: panelBook,
      directory,
      readModel,
      norms,
      clock,
      identity,
      maxDistanceKm: options.matchDistanceKm ?? DEFAULT_MATCH_DISTANCE_KM,
    });
    const reports = new Reports(readModel, clock);
    const erasure = new PatientErasure({ commands, keys: { destroy: (patientId) => store.shred(patientId) }, identity, clock });
    const patientImport = new PatientImport({ store, commands, panels: panelBook, directory, norms, clock, identity });
    const departureCommands = departureHandler(store, clock, ctx.onCommand);
    const departureBook = new DepartureBook(departureCommands, clock);
    const dueDepartures = new DueDepartures(directory, departureBook, clock, options.dueDeparturesIntervalMs ?? 3_600_000, logger);
    const departureProcess = new DepartureProcess({ departures: departureCommands, commands, panels: panelBook, directory, readModel, norms, clock });
    const departures = ctx.reactor({
      name: 'attribution-departures',
      streamPrefixes: [DEPARTURE_PREFIX],
      schemas: attributionEventSchemas,
      react: (event) => departureProcess.react(event),
    });
    const services: AttributionServices = { patients, attributions, panels, waitlist, reports, erasure };
    const learnt = { sql, directory, departures: departureBook };
    return {
      application: { ...services, departures, departureBook, dueDepartures, directory, readModel, patientImport },
      // Patients registered before sealing: their personal data sealed once, before anything reads them (ADR 0025).
      beforeStart: async () => {
        const report = await sealStoredPatients(sql, schema, store);
        if (report && report.sealed + report.redacted > 0) logger?.warn({ ...report }, 'sealed the personal data of patient events stored before sealing');
      },
      relay: { streamPrefixes: [PATIENT_PREFIX], map: attributionEventMapper(store) },
      consumers: [
        { topic: REGISTRY_TOPIC, groupId: ATTRIBUTION_REGISTRY_GROUP, handler: registryConsumer(learnt) },
        { topic: STAFF_TOPIC, groupId: ATTRIBUTION_STAFF_GROUP, handler: staffConsumer(learnt) },
      ],
      jobs: [dueDepartures],
      http: {
        path: '/v1/attribution',
        router: attributionRoutes.router(services),
        openApi: attributionRoutes.openApi(),
        operations: attributionRoutes.operations(),
      },
      grpc: { service: attributionV1.AttributionService, implementation: (unary) => attributionGrpcService(services, unary) },
    };
  },
});

export type AttributionModuleOptions = ServiceInputs & AttributionOptions;
export type AttributionModule = ServiceModule<AttributionApp>;

/** The attribution service composed on its store, ready to start (tests, benchmarks and the import command drive it directly). */
export const createAttributionModule = (options: AttributionModuleOptions): Promise<AttributionModule> => composeService(attributionService, options);
