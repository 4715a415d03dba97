export { vacancyStreamId } from '../domain/vacancy/vacancy-decider';
export { mobilityStreamId } from '../domain/mobility/mobility-decider';

/** One stream per professional. */
export const professionalStreamId = (professionalId: string): string => `professional-${professionalId}`;

/** The prefixes projections and the relay filter the log on. */
export const PROFESSIONAL_PREFIX = 'professional-';
export const VACANCY_PREFIX = 'vacancy-';
export const MOBILITY_PREFIX = 'mobility-';
