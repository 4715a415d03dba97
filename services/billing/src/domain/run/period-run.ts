import type { Decider, DomainEvent } from '@pcn/eventsourcing';
import type { Cents } from '../schedule/money';

/**
 * A period run shared by billing instances (docs/adr/0028): the request names every centre,
 * each centre's work item goes to whichever instance consumes its FINESS, and each centre's
 * result is recorded on a stream of its own, so instances never contend for one stream.
 */
export const RUN_REQUEST_PREFIX = 'run-request-';
export const RUN_CENTRE_PREFIX = 'run-centre-';
export const runRequestStreamId = (runId: string): string => `${RUN_REQUEST_PREFIX}${runId}`;
/** Prefix of the results of one run: what the caller follows. */
export const runResultsPrefix = (runId: string): string => `${RUN_CENTRE_PREFIX}${runId}-`;
export const centreRunStreamId = (runId: string, finess: string): string => `${runResultsPrefix(runId)}${finess}`;

/** One centre's share of a run: what its work item carries. */
export interface CentreRunRequest {
  readonly runId: string;
  readonly period: string;
  readonly finess: string;
  readonly scheduleVersion: string;
  /** Position of billing's log of facts the run reads at (at least). */
  readonly logPosition: string;
  readonly runBy: string;
}

export interface PeriodRunRequest {
  readonly runId: string;
  readonly period: string;
  readonly scheduleVersion: string;
  readonly logPosition: string;
  readonly runBy: string;
  /** Every centre of the run, by FINESS. */
  readonly centres: readonly string[];
}

export type PeriodRunCommand = { readonly type: 'RequestPeriodRun' } & PeriodRunRequest;
export type PeriodRunEvent = DomainEvent<'PeriodRunRequested', PeriodRunRequest> | DomainEvent<'CentreRunRequested', CentreRunRequest>;
export type PeriodRunState = { readonly requested: false } | ({ readonly requested: true } & PeriodRunRequest);

/** The run and one work item per centre, written at once; asking for the same run again records nothing. */
export const periodRunDecider: Decider<PeriodRunCommand, PeriodRunState, PeriodRunEvent> = {
  initialState: () => ({ requested: false }),
  decide({ type: _type, ...run }, state) {
    if (state.requested) return [];
    const { centres: _centres, ...shared } = run;
    return [{ type: 'PeriodRunRequested', data: run }, ...run.centres.map((finess) => ({ type: 'CentreRunRequested' as const, data: { ...shared, finess } }))];
  },
  evolve: (state, event) => (event.type === 'PeriodRunRequested' ? { requested: true, ...event.data } : state),
};

/** What a run did to a centre's statement; `nothing`: no patient earned, no mission, nothing to adjust. */
export type CentreRunOutcome = 'computed' | 'unchanged' | 'issued' | 'nothing';

export interface CentreRunResult {
  readonly runId: string;
  readonly finess: string;
  readonly outcome: CentreRunOutcome;
  readonly lines: number;
  readonly totalCents: Cents;
  /** The billing instance that computed it (its host and process), for the operator. */
  readonly computedBy: string;
}

export type CentreRunCommand = { readonly type: 'RecordCentreRun' } & CentreRunResult;
export type CentreRunEvent = DomainEvent<'CentreRunCompleted', CentreRunResult>;
export type CentreRunState = { readonly done: false } | ({ readonly done: true } & CentreRunResult);

/** A centre's result, recorded once: a redelivered work item finds it and records nothing. */
export const centreRunDecider: Decider<CentreRunCommand, CentreRunState, CentreRunEvent> = {
  initialState: () => ({ done: false }),
  decide: ({ type: _type, ...result }, state) => (state.done ? [] : [{ type: 'CentreRunCompleted', data: result }]),
  evolve: (_state, event) => ({ done: true, ...event.data }),
};
