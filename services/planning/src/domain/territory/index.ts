export * from './territory';
export * from './territory-catalogue';
