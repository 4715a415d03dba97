export * from './route';
export * from './route-table';
export * from './responses';
