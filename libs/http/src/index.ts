export * from './http-errors';
export * from './problem';
export * from './etag';
export * from './command-context';
export * from './api-app';
export * from './tracing-middleware';
export * from './request-fields';
export * from './graceful-server';
