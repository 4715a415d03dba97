export * from './route-table-check';
