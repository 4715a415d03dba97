export * from './staff-fixture';
