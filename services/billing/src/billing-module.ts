import { ProjectionRunner, SqlEventStore, type EventStore, type RunnerLogger, type SqlClient } from '@pcn/eventsourcing';
import type { MessageBus, Subscription } from '@pcn/messaging';
import { Billing } from './application/billing';
import { communeProfilesFrom } from './adapters/commune-profiles';
import { billingProjection } from './adapters/persistence/billing-projection';
import { SqlBillingReadModel } from './adapters/persistence/sql-billing-read-model';
import {
  ATTRIBUTION_TOPIC,
  attributionConsumer,
  BILLING_ATTRIBUTION_GROUP,
  BILLING_REGISTRY_GROUP,
  REGISTRY_TOPIC,
  registryConsumer,
} from './adapters/messaging/fact-consumers';
import { DEFAULT_RATE_SCHEDULE, type CommuneProfiles, type RateSchedule } from './domain';

export interface BillingModuleOptions {
  readonly sql: SqlClient;
  /** SQL schema owned by the billing service. */
  readonly schema?: string;
  /** Event store; defaults to the SQL store in `schema`. */
  readonly store?: EventStore;
  /** Billing learns patients and centres from `pcn.attribution.v1` and `pcn.registry.v1` on it. */
  readonly bus?: MessageBus;
  /** Unemployment rates per commune; the shipped reference data by default. */
  readonly communes?: CommuneProfiles;
  /** Published at start unless already there; the shipped default schedule by default. */
  readonly defaultSchedule?: RateSchedule | null;
  readonly logger?: RunnerLogger;
  readonly readModelWaitMs?: number;
}

export interface BillingModule {
  readonly schema: string;
  readonly billing: Billing;
  readonly store: EventStore;
  readonly projection: ProjectionRunner;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The billing service's wiring, kept in one place so it can move onto the shared service
 * definition: its store, the projection of its log, the application, and its two consumers.
 */
export async function createBillingModule(options: BillingModuleOptions): Promise<BillingModule> {
  const schema = options.schema ?? 'billing';
  const store = options.store ?? (await SqlEventStore.open(options.sql, schema));
  const projection = new ProjectionRunner(store, options.sql, billingProjection(schema), { schema, ...(options.logger && { logger: options.logger }) });
  const readModel = new SqlBillingReadModel(options.sql, schema, projection, options.readModelWaitMs);
  const billing = new Billing({ store, readModel, communes: options.communes ?? communeProfilesFrom() });
  const subscriptions: Subscription[] = [];
  return {
    schema,
    billing,
    store,
    projection,
    async start() {
      const shipped = options.defaultSchedule === undefined ? DEFAULT_RATE_SCHEDULE : options.defaultSchedule;
      if (shipped !== null && !(await billing.scheduleVersions()).some((v) => v.version === shipped.version))
        await billing.publishRateSchedule(shipped, 'billing-service');
      await projection.start();
      if (options.bus) {
        subscriptions.push(
          await options.bus.subscribe({ topic: ATTRIBUTION_TOPIC, groupId: BILLING_ATTRIBUTION_GROUP, handler: attributionConsumer(billing) }),
        );
        subscriptions.push(await options.bus.subscribe({ topic: REGISTRY_TOPIC, groupId: BILLING_REGISTRY_GROUP, handler: registryConsumer(billing) }));
      }
    },
    async stop() {
      for (const s of subscriptions.splice(0)) await s.stop();
      await projection.stop();
    },
  };
}
