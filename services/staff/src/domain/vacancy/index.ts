export * from './vacancy-commands';
export * from './vacancy-events';
export * from './vacancy-state';
export * from './vacancy-decider';
