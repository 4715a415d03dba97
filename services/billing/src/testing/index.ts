export * from './billing-fixture';
export * from './fact-feeder';
export * from './scoped-bus';
