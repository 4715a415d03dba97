export * from './billing-fixture';
export * from './fact-feeder';
