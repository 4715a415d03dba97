// Test kit of every service (imported as `@pcn/service/testing`): a composed service served over REST or gRPC.
export * from './serve';
