// Code generated from proto/ (see scripts/gen.sh), one namespace per .proto file: ts-proto
// exports helpers with the same names (`protobufPackage`, `DeepPartial`, ...) from every file.
export * as registryV1 from './gen/pcn/registry/v1/registry';
export * as registryEventsV1 from './gen/pcn/events/v1/registry_events';
export * as staffV1 from './gen/pcn/staff/v1/staff';
export * as staffEventsV1 from './gen/pcn/events/v1/staff_events';
export * as attributionV1 from './gen/pcn/attribution/v1/attribution';
export * as attributionEventsV1 from './gen/pcn/events/v1/attribution_events';
export * as planningV1 from './gen/pcn/planning/v1/planning';
export * as billingV1 from './gen/pcn/billing/v1/billing';
export * as billingEventsV1 from './gen/pcn/events/v1/billing_events';
export * as planningEventsV1 from './gen/pcn/events/v1/planning_events';
export * as billingRunsV1 from './gen/pcn/events/v1/billing_runs';
export * as testingV1 from './gen/pcn/testing/v1/echo';
export * as testingStreamsV1 from './gen/pcn/testing/v1/echo_streams';
export * as googleRpcStatus from './gen/google/rpc/status';
export * as googleRpcErrorDetails from './gen/google/rpc/error_details';
export * as googleProtobufAny from './gen/google/protobuf/any';
export * as googleProtobufTimestamp from './gen/google/protobuf/timestamp';
export { fileDescriptorSetBase64 } from './gen/descriptor-set';
export { fileDescriptorSet } from './file-descriptor-set';
