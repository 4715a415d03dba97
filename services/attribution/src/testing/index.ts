export * from './attribution-fixture';
export * from './declaration-races';
