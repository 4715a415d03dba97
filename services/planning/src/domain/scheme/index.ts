export * from './consultation';
export * from './fulfilment';
export * from './proposal';
export * from './scheme-commands';
export * from './scheme-events';
export * from './scheme-state';
export * from './scheme-decider';
