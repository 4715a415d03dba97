import type { Router } from 'express';
import { SqlEventStore, type EventStore, type SqlClient } from '@pcn/eventsourcing';
import { REGISTRY_TOPIC, STAFF_TOPIC, type MessageBus, type Subscription } from '@pcn/messaging';
import { inMemoryComputations } from './application/computations';
import { systemClock, type Clock } from './application/ports';
import { referenceCatalogue, referencePlaces } from './application/reference-territories';
import { Schemes } from './application/schemes';
import { TerritorialPlanning } from './application/territorial-planning';
import { planningRouter } from './adapters/http/planning-router';
import { PLANNING_REGISTRY_GROUP, PLANNING_STAFF_GROUP, registryNetworkConsumer, staffNetworkConsumer } from './adapters/messaging/network-consumers';
import { migrateNetworkTables, SqlNetworkDirectory } from './adapters/persistence/sql-network-directory';
import { migrateOutsideSupplyTables, SqlOutsideSupply } from './adapters/persistence/sql-outside-supply';

export interface PlanningModuleOptions {
  readonly sql: SqlClient;
  /** SQL schema owned by planning. */
  readonly schema?: string;
  /** Event store of the schemes; defaults to the SQL store in `schema`. */
  readonly store?: EventStore;
  /** Planning learns centres and GPs from `pcn.registry.v1` and `pcn.staff.v1` on it; without it, the network stays as stored. */
  readonly bus?: MessageBus;
  readonly clock?: Clock;
}

export interface PlanningModule {
  readonly planning: TerritorialPlanning;
  readonly schemes: Schemes;
  readonly network: SqlNetworkDirectory;
  readonly store: EventStore;
  /** Mount at `/v1/planning`. */
  readonly httpRouter: Router;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The planning service's parts, wired: reference territories, the network tables fed by the
 * registry and staff topics, the imported outside supply, accessibility computations (kept in
 * memory, the last 20), the schemes' event store and the REST router.
 */
export async function createPlanningModule(options: PlanningModuleOptions): Promise<PlanningModule> {
  const schema = options.schema ?? 'planning';
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await SqlEventStore.open(options.sql, schema));
  await migrateNetworkTables(options.sql, schema);
  await migrateOutsideSupplyTables(options.sql, schema);
  const places = referencePlaces();
  const catalogue = referenceCatalogue(places);
  const network = new SqlNetworkDirectory(options.sql, schema, clock);
  const outside = new SqlOutsideSupply(options.sql, schema);
  const planning = new TerritorialPlanning({ catalogue, places, network, outside, computations: inMemoryComputations(), clock });
  const schemes = new Schemes(store, catalogue);
  const subscriptions: Subscription[] = [];
  return {
    planning,
    schemes,
    network,
    store,
    httpRouter: planningRouter({ planning, schemes, outside, catalogue }),
    async start() {
      if (!options.bus) return;
      subscriptions.push(
        await options.bus.subscribe({
          topic: REGISTRY_TOPIC,
          groupId: PLANNING_REGISTRY_GROUP,
          handler: registryNetworkConsumer({ sql: options.sql, directory: network }),
        }),
        await options.bus.subscribe({
          topic: STAFF_TOPIC,
          groupId: PLANNING_STAFF_GROUP,
          handler: staffNetworkConsumer({ sql: options.sql, directory: network }),
        }),
      );
    },
    async stop() {
      for (const subscription of subscriptions.splice(0)) await subscription.stop();
    },
  };
}
