// Test kit for adapters and deciders of every service (imported as `@pcn/eventsourcing/testing`).
export * from './event-store-contract';
export * from './decider-spec';
export * from './eventually';
export * from './counter-decider';
export * from './test-clock';
export { FakeKurrentDbClient } from '../store/kurrentdb/kurrentdb-fake-client';
