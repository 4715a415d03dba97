export * from './mobility-events';
export * from './mobility-commands';
export * from './mobility-state';
export * from './mobility-decider';
export * from './movement-plan';
export * from './request-preconditions';
