export * from './parameters';
export * from './inputs';
export * from './e2sfca';
export * from './supply';
export * from './comparison';
