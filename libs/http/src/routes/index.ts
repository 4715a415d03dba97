export * from './route';
export * from './route-table';
export * from './responses';
export { pageParams } from './route-parameters';
export * from './streamed-body';
