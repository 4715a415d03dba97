// Test support, outside the package entry point (and its build) because it uses jest globals.
export * from './bus-contract';
export { eventually } from '@pcn/eventsourcing/testing';
export { protocolError, type ProtocolErrorType } from './kafka-errors';
