import type { Opinion, Stage } from './consultation';
import type { Proposal } from './proposal';
import type { SchemeTerritory } from './scheme-commands';
import type { Objection } from './scheme-events';

export type SchemeStatus = 'draft' | 'consulting' | 'adopted';

export interface Fulfilment {
  readonly centreFiness: string;
  readonly accreditedOn: string;
}

export interface Scheme {
  readonly exists: true;
  readonly schemeId: string;
  readonly territory: SchemeTerritory;
  readonly title: string;
  readonly status: SchemeStatus;
  readonly proposals: readonly Proposal[];
  /** The day each proposal was added (ISO date), by proposal id: only a centre accredited since fulfils it. */
  readonly proposedOn: Readonly<Record<string, string>>;
  /** Consultation rounds started (a round restarts at the local stage after a return to draft). */
  readonly round: number;
  /** Stages approved in the current round, in order. */
  readonly approvedStages: readonly Stage[];
  readonly openStage?: { readonly stage: Stage; readonly opinions: readonly Opinion[] };
  /** The objections of the last rejected stage, kept until the next round opens. */
  readonly objections: readonly Objection[];
  readonly fulfilled: Readonly<Record<string, Fulfilment>>;
}

export type SchemeState = { readonly exists: false } | Scheme;
