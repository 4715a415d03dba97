export * from './domain/statute';
export { loadPublishedStatute, DEFAULT_STATUTE_DIRECTORY, StatuteFileError } from './adapters/statute-files';
export * from './domain/professional';
export * from './domain/vacancy';
export * from './domain/mobility';
