export * from './site-suggestion';
