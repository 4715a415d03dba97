export * from './domain/statute';
export { loadPublishedStatute, DEFAULT_STATUTE_DIRECTORY, StatuteFileError } from './adapters/statute-files';
export * from './domain/professional';
export * from './domain/vacancy';
export * from './domain/mobility';
export * from './staff-module';
export type { StaffServices } from './application/staff-services';
export type * from './application/views';
export type { CentreInfo, CentreDirectory, Clock, IdentifierCheck } from './application/ports';
export { staffStatuteGrpc } from './adapters/grpc/staff-statute-grpc';
export { STAFF_TOPIC, STAFF_SOURCE, staffEventMapper } from './adapters/messaging/staff-integration-events';
export { REGISTRY_TOPIC as STAFF_CONSUMED_REGISTRY_TOPIC, STAFF_REGISTRY_GROUP } from './adapters/messaging/registry-consumer';

/** The streams of the staff service's event store (KurrentDB reads its log filtered on them). */
export const STAFF_STREAM_PREFIXES = ['professional-', 'vacancy-', 'mobility-', 'statute', 'rpps-claim-'] as const;
export { staffRoutes } from './adapters/http/staff-routes';
