export * from './profession';
export * from './professional-events';
export * from './professional-commands';
export * from './professional-state';
export * from './professional-decider';
export * from './career';
export * from './rpps-claim';
