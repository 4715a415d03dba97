export * from './domain/territory';
export * from './domain/accessibility';
export * from './domain/sites';
export * from './domain/scheme';
export { referenceCatalogue, referencePlaces, referenceEpcis, demandPoints } from './application/reference-territories';
export { gridDemandIndex, allPairsDemandIndex, DEFAULT_GRID_CELL_DEGREES } from './application/demand-indexes';
export * from './application/ports';
export * from './application/computations';
export { importOutsideSupply, OUTSIDE_SUPPLY_COLUMNS, type LineError, type OutsideSupplyImport } from './application/outside-supply-import';
export {
  TerritorialPlanning,
  REFERENCE_DATA,
  type TerritorialPlanningDeps,
  type TerritoryNeeds,
  type SiteQuery,
  type UnderservedCommune,
} from './application/territorial-planning';
export { Schemes, type SchemeView, type WriteOptions, type AdoptedSchemes, type AccreditedCentres } from './application/schemes';
export { SqlAdoptedSchemes } from './adapters/persistence/sql-adopted-schemes';
export { AdoptionReconciliation } from './application/adoption-reconciliation';
export { accessibilityGeoJson, type FeatureCollection } from './adapters/maps/geojson';
export { svgMap, type SvgMapOptions } from './adapters/maps/svg-map';
export type { CommunePoint, CentrePoint } from './adapters/maps/map-points';

export {
  SqlNetworkDirectory,
  migrateNetworkTables,
  type CentreRecord,
  type GpAssignmentRecord,
  type LogPosition,
} from './adapters/persistence/sql-network-directory';
export { registryNetworkConsumer, staffNetworkConsumer, PLANNING_REGISTRY_GROUP, PLANNING_STAFF_GROUP } from './adapters/messaging/network-consumers';
export { SqlOutsideSupply, migrateOutsideSupplyTables } from './adapters/persistence/sql-outside-supply';
export { planningRoutes, type PlanningHttpServices } from './adapters/http/planning-routes';
export { territorialPlanningGrpc, toSchemeMessage } from './adapters/grpc/territorial-planning-grpc';
export { schemesProjection } from './adapters/persistence/schemes-projection';
export { SqlComputations, migrateComputationTables } from './adapters/persistence/sql-computations';
export * from './planning-service';
