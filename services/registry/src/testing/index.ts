export * from './registry-fixture';
export * from './centre-requests';
