export * from './registry-service';
export * from './application/centre-registry';
export * from './application/centre-view';
export * from './application/ports';
export * from './domain/centre';
export { centreRegistryGrpc } from './adapters/grpc/centre-registry-grpc';
export { REGISTRY_SOURCE, registryEventMapper } from './adapters/messaging/registry-integration-events';
export { centreRoutes } from './adapters/http/centres-routes';
