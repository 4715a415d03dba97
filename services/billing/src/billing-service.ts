import { z } from 'zod';
import { billingV1 } from '@pcn/contracts';
import { ATTRIBUTION_TOPIC, BILLING_TOPIC, REGISTRY_TOPIC } from '@pcn/messaging';
import { CachingSubjectKeyStore, SealedEventStore, SqlSubjectKeyStore } from '@pcn/eventsourcing';
import { composeService, defineService, type ServiceInputs, type ServiceModule, type ServiceParts } from '@pcn/service';
import { Billing } from './application/billing';
import { BILLING_STREAM_PREFIXES, PATIENT_RECORD_PREFIX, STATEMENT_PREFIX } from './application/stream-prefixes';
import { communeProfilesFrom } from './adapters/commune-profiles';
import { billingProjection } from './adapters/persistence/billing-projection';
import { SqlBillingReadModel } from './adapters/persistence/sql-billing-read-model';
import { attributionConsumer, BILLING_ATTRIBUTION_GROUP, BILLING_REGISTRY_GROUP, registryConsumer } from './adapters/messaging/fact-consumers';
import { billingEventMapper } from './adapters/messaging/billing-integration-events';
import { billingRoutes } from './adapters/http/billing-routes';
import { capitationBillingGrpc } from './adapters/grpc/billing-grpc';
import { BILLING_RUNS_GROUP, BILLING_RUNS_TOPIC, runWorkConsumer, withRunWork } from './adapters/messaging/run-work';
import { DEFAULT_RATE_SCHEDULE, PATIENT_PERSONAL_FIELDS, RUN_REQUEST_PREFIX, type CommuneProfiles, type RateSchedule } from './domain';

export interface BillingOptions {
  /** Unemployment rates per commune; the shipped reference data by default. */
  readonly communes?: CommuneProfiles;
  /** Published at start unless already there; the shipped default schedule by default, none with null. */
  readonly defaultSchedule?: RateSchedule | null;
  /**
   * `shared`: a run of every centre is shared by the billing instances through work items on
   * `pcn.billing.runs.v1` (docs/adr/0028); `local` (the default): computed by the instance called.
   */
  readonly runs?: 'local' | 'shared';
  /** Names this instance in the results of shared runs (host:pid by default). */
  readonly instance?: string;
}

export interface BillingApp {
  readonly billing: Billing;
}

/**
 * Capitation billing: REST `/v1/billing`, gRPC `pcn.billing.v1.CapitationBilling`, topic
 * `pcn.billing.v1`; learns patients from `pcn.attribution.v1` and centres from `pcn.registry.v1`.
 */
export const billingService = defineService({
  name: 'billing',
  streamPrefixes: BILLING_STREAM_PREFIXES,
  publishes: BILLING_TOPIC,
  consumes: [ATTRIBUTION_TOPIC, REGISTRY_TOPIC, BILLING_RUNS_TOPIC],
  config: {
    shape: {
      PCN_BILLING_RUNS: z.enum(['local', 'shared'], { message: 'must be local or shared' }).default('local'),
    },
  },
  configure: (settings): BillingOptions => ({ runs: settings.PCN_BILLING_RUNS }),
  // Billing's copy of patients' personal data is sealed with a key per patient (table `<schema>.subject_keys`), as attribution's is (ADR 0025).
  decorateStore: async (store, { sql, schema }) =>
    new SealedEventStore(store, {
      keys: new CachingSubjectKeyStore(await SqlSubjectKeyStore.open(sql, schema)),
      subjectOf: (streamId) => (streamId.startsWith(PATIENT_RECORD_PREFIX) ? streamId.slice(PATIENT_RECORD_PREFIX.length) : undefined),
      fields: PATIENT_PERSONAL_FIELDS,
    }),
  async compose(ctx, options: BillingOptions): Promise<ServiceParts<BillingApp>> {
    const { store } = ctx;
    if (!(store instanceof SealedEventStore)) throw new Error('billing composes on the sealing store its decorateStore makes');
    const projection = ctx.projection(billingProjection(ctx.schema));
    const readModel = new SqlBillingReadModel(ctx.sql, ctx.schema, projection, ctx.readModelWaitMs);
    const billing = new Billing({
      store: ctx.store,
      readModel,
      communes: options.communes ?? communeProfilesFrom(),
      ...(ctx.onCommand && { onCommand: ctx.onCommand }),
      ...(options.runs && { runs: options.runs }),
      ...(options.instance && { instance: options.instance }),
      shredPatient: (patientId) => store.shred(patientId),
    });
    const shared = billing.sharedRuns;
    const shipped = options.defaultSchedule === undefined ? DEFAULT_RATE_SCHEDULE : options.defaultSchedule;
    return {
      application: { billing },
      async beforeStart() {
        if (shipped !== null && !(await billing.scheduleVersions()).some((v) => v.version === shipped.version))
          await billing.publishRateSchedule(shipped, 'billing-service');
      },
      relay: shared
        ? { streamPrefixes: [STATEMENT_PREFIX, RUN_REQUEST_PREFIX], map: withRunWork(billingEventMapper()) }
        : { streamPrefixes: [STATEMENT_PREFIX], map: billingEventMapper() },
      consumers: [
        { topic: ATTRIBUTION_TOPIC, groupId: BILLING_ATTRIBUTION_GROUP, handler: attributionConsumer(billing) },
        { topic: REGISTRY_TOPIC, groupId: BILLING_REGISTRY_GROUP, handler: registryConsumer(billing) },
        ...(shared ? [{ topic: BILLING_RUNS_TOPIC, groupId: BILLING_RUNS_GROUP, handler: runWorkConsumer(shared) }] : []),
      ],
      http: { path: '/v1/billing', router: billingRoutes.router(billing), openApi: billingRoutes.openApi(), operations: billingRoutes.operations() },
      grpc: { service: billingV1.CapitationBillingService, implementation: (unary) => capitationBillingGrpc(billing, unary) },
    };
  },
});

export type BillingModuleOptions = ServiceInputs & BillingOptions;
export type BillingModule = ServiceModule<BillingApp>;

/** The billing service composed on its store, ready to start (tests drive it directly). */
export const createBillingModule = (options: BillingModuleOptions): Promise<BillingModule> => composeService(billingService, options);
