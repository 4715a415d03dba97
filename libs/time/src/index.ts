export * from './iso-date';
export * from './clock';
