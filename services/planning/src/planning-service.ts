import { planningV1 } from '@pcn/contracts';
import { ATTRIBUTION_TOPIC, causationOf, PLANNING_TOPIC, REGISTRY_TOPIC, STAFF_TOPIC } from '@pcn/messaging';
import type { EventReactor } from '@pcn/eventsourcing';
import { composeService, defineService, type ServiceInputs, type ServiceModule, type ServiceParts } from '@pcn/service';
import { referenceCatalogue, referencePlaces } from './application/reference-territories';
import { Schemes } from './application/schemes';
import { AdoptionReconciliation } from './application/adoption-reconciliation';
import { TerritorialPlanning } from './application/territorial-planning';
import { schemeEventSchemas } from './application/event-schemas';
import { planningRoutes } from './adapters/http/planning-routes';
import { territorialPlanningGrpc } from './adapters/grpc/territorial-planning-grpc';
import { PLANNING_REGISTRY_GROUP, PLANNING_STAFF_GROUP, registryNetworkConsumer, staffNetworkConsumer } from './adapters/messaging/network-consumers';
import { attributionNeedsConsumer, PLANNING_ATTRIBUTION_GROUP } from './adapters/messaging/attribution-consumer';
import { planningEventMapper, SCHEME_PREFIX } from './adapters/messaging/planning-integration-events';
import { schemesProjection } from './adapters/persistence/schemes-projection';
import { SqlAdoptedSchemes } from './adapters/persistence/sql-adopted-schemes';
import { migrateComputationTables, SqlComputations } from './adapters/persistence/sql-computations';
import { migrateNetworkTables, SqlNetworkDirectory } from './adapters/persistence/sql-network-directory';
import { migrateOutsideSupplyTables, SqlOutsideSupply } from './adapters/persistence/sql-outside-supply';
import { migratePatientTables, SqlPatientDirectory } from './adapters/persistence/sql-patient-directory';

/** Every stream planning writes (a KurrentDB store is filtered on them). */
export const PLANNING_STREAM_PREFIXES = [SCHEME_PREFIX] as const;

export interface PlanningApp {
  readonly planning: TerritorialPlanning;
  readonly schemes: Schemes;
  /** The network's centres and GP assignments, as the registry and staff topics told them. */
  readonly network: SqlNetworkDirectory;
  /** The patients of each commune, as the attribution topic told them. */
  readonly patients: SqlPatientDirectory;
  readonly outside: SqlOutsideSupply;
  /** Reconciles each adopted scheme with the centres already accredited in its communes. */
  readonly adoptions: EventReactor;
}

/**
 * Territorial planning: REST `/v1/planning`, gRPC `pcn.planning.v1.TerritorialPlanning`; learns
 * the network's centres and GPs from `pcn.registry.v1` and `pcn.staff.v1`, and the patients of
 * each commune from `pcn.attribution.v1`; publishes every step of its schemes on `pcn.planning.v1`.
 * An adopted scheme is reconciled with the centres already accredited (reactor `planning-adoptions`). Accessibility
 * computations are stored in SQL (the last 20), so they survive a restart.
 */
export const planningService = defineService({
  name: 'planning',
  streamPrefixes: PLANNING_STREAM_PREFIXES,
  publishes: PLANNING_TOPIC,
  consumes: [REGISTRY_TOPIC, STAFF_TOPIC, ATTRIBUTION_TOPIC],
  config: { shape: {} },
  configure: () => ({}),
  async compose(ctx): Promise<ServiceParts<PlanningApp>> {
    const readModel = ctx.projection(schemesProjection(ctx.schema), { schemas: schemeEventSchemas });
    await migrateNetworkTables(ctx.sql, ctx.schema);
    await migrateOutsideSupplyTables(ctx.sql, ctx.schema);
    await migrateComputationTables(ctx.sql, ctx.schema);
    await migratePatientTables(ctx.sql, ctx.schema);
    const places = referencePlaces();
    const catalogue = referenceCatalogue(places);
    const network = new SqlNetworkDirectory(ctx.sql, ctx.schema, ctx.clock);
    const outside = new SqlOutsideSupply(ctx.sql, ctx.schema);
    const patients = new SqlPatientDirectory(ctx.sql, ctx.schema, ctx.clock);
    const planning = new TerritorialPlanning({
      catalogue,
      places,
      network,
      patients,
      outside,
      computations: new SqlComputations(ctx.sql, ctx.schema),
      clock: ctx.clock,
    });
    const schemes = new Schemes(ctx.store, catalogue, ctx.clock, ctx.onCommand);
    const reconciliation = new AdoptionReconciliation({ schemes, centres: network, readModel });
    const adoptions = ctx.reactor({
      name: 'planning-adoptions',
      streamPrefixes: [SCHEME_PREFIX],
      schemas: schemeEventSchemas,
      react: (event) => reconciliation.react(event),
    });
    const services = { planning, schemes, outside, catalogue };
    const adopted = new SqlAdoptedSchemes(ctx.sql, ctx.schema);
    return {
      application: { planning, schemes, network, patients, outside, adoptions },
      relay: { streamPrefixes: [SCHEME_PREFIX], map: planningEventMapper() },
      consumers: [
        {
          topic: REGISTRY_TOPIC,
          groupId: PLANNING_REGISTRY_GROUP,
          handler: registryNetworkConsumer({
            sql: ctx.sql,
            directory: network,
            onAccredited: (centre, message) => schemes.recordCentreAccredited(centre, adopted, { actor: 'planning', ...causationOf(message) }),
          }),
        },
        { topic: STAFF_TOPIC, groupId: PLANNING_STAFF_GROUP, handler: staffNetworkConsumer({ sql: ctx.sql, directory: network }) },
        { topic: ATTRIBUTION_TOPIC, groupId: PLANNING_ATTRIBUTION_GROUP, handler: attributionNeedsConsumer({ sql: ctx.sql, patients, positions: network }) },
      ],
      http: { path: '/v1/planning', router: planningRoutes.router(services), openApi: planningRoutes.openApi(), operations: planningRoutes.operations() },
      grpc: { service: planningV1.TerritorialPlanningService, implementation: (options) => territorialPlanningGrpc(services, options) },
    };
  },
});

export type PlanningModule = ServiceModule<PlanningApp>;

/** Planning composed on its store, ready to start (tests drive it directly). */
export const createPlanningModule = (options: ServiceInputs): Promise<PlanningModule> => composeService(planningService, options);
