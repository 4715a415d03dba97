export * from './parse-input';
export * from './fields';
export * from './safe-text';
export * from './field-guard';
export * from './idempotency-key';
export * from './ids';
export * from './settings';
