export * from './planning-fixture';
