import type { IsoDate } from './iso-date';

/** Where the application reads the time: the system's in production, a test clock in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The calendar day of an instant, in UTC. */
export const dayOf = (instant: Date): IsoDate => instant.toISOString().slice(0, 10);

/** The day a clock is on, in UTC. */
export const today = (clock: Clock): IsoDate => dayOf(clock.now());
