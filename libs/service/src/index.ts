export * from './service-definition';
export * from './compose-service';
export * from './start-service';
export * from './service-list';
