export * from './domain/territory';
export * from './domain/accessibility';
export * from './domain/sites';
export * from './domain/scheme';
export { referenceCatalogue, referencePlaces, referenceEpcis, demandPoints } from './application/reference-territories';
export { gridDemandIndex, allPairsDemandIndex } from './application/demand-indexes';
