export * from './errors';
export * from './logger';
export * from './tracing';
export * from './metrics';
export * from './pcn-metrics';
export * from './metrics-http';
