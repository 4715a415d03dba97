import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandHandler, type CommandHandlerOptions, type EventStore } from '@pcn/eventsourcing';
import {
  centreRunDecider,
  centreRunStreamId,
  periodRunDecider,
  runRequestStreamId,
  runResultsPrefix,
  type CentreRunRequest,
  type CentreRunResult,
  type PeriodRunRequest,
} from '../domain';
import type { Billing, CentreRun } from './billing';
import type { RunProgress } from './ports';

/** How often the caller of a shared run looks for new results (a read of the log after its last position). */
export const RESULT_POLL_MS = 200;

export interface SharedPeriodRunsDeps {
  readonly store: EventStore;
  readonly billing: Pick<Billing, 'runCentre'>;
  /** Names this instance in the results it records. */
  readonly instance: string;
  readonly options?: CommandHandlerOptions;
  readonly pollMs?: number;
}

/**
 * A period run shared by the billing instances (docs/adr/0028). The caller records the run and
 * one work item per centre in one append; the relay publishes the items keyed by FINESS; each
 * instance of the consumer group computes the centres of its partitions (`work`) and records
 * each result on a stream of its own; the caller follows those results in the log (`run`).
 */
export class SharedPeriodRuns {
  private readonly requests;
  private readonly results;

  constructor(private readonly deps: SharedPeriodRunsDeps) {
    this.requests = new CommandHandler(deps.store, periodRunDecider, deps.options);
    this.results = new CommandHandler(deps.store, centreRunDecider, deps.options);
  }

  /** Requests the run, then reports each centre as its result appears; answers them in the order of `centres`. */
  async run(request: Omit<PeriodRunRequest, 'runId'>, onProgress?: (p: RunProgress) => unknown, signal?: AbortSignal): Promise<CentreRun[]> {
    const runId = randomUUID();
    const total = request.centres.length;
    const done = new Map<string, CentreRunResult>();
    if (total > 0) {
      const requested = await this.requests.handle(runRequestStreamId(runId), { type: 'RequestPeriodRun', runId, ...request });
      let after = requested.lastPosition ?? 0;
      const filter = { streamPrefixes: [runResultsPrefix(runId)] };
      while (done.size < total) {
        signal?.throwIfAborted();
        const recorded = await this.deps.store.readAll({ after, filter, maxCount: 1000 });
        for (const event of recorded) {
          after = event.position;
          if (event.type !== 'CentreRunCompleted') continue;
          const result = event.data as unknown as CentreRunResult;
          if (done.has(result.finess)) continue;
          done.set(result.finess, result);
          await onProgress?.({ done: done.size, total, finess: result.finess, lines: result.lines });
        }
        if (recorded.length === 0) await sleep(this.deps.pollMs ?? RESULT_POLL_MS, undefined, signal ? { signal } : undefined);
      }
    }
    return request.centres
      .map((finess) => done.get(finess)!)
      .filter((r) => r.outcome !== 'nothing')
      .map((r) => ({ finess: r.finess, period: request.period, outcome: r.outcome as CentreRun['outcome'], lines: r.lines, totalCents: r.totalCents }));
  }

  /**
   * One work item, at least once: a centre whose result is recorded is not computed again, and a
   * computation repeated after a crash records nothing new (the statement decider).
   */
  async work(request: CentreRunRequest): Promise<void> {
    const stream = centreRunStreamId(request.runId, request.finess);
    if ((await this.results.load(stream)).state.done) return;
    const { result } = await this.deps.billing.runCentre(request);
    await this.results.handle(stream, {
      type: 'RecordCentreRun',
      runId: request.runId,
      finess: request.finess,
      outcome: result?.outcome ?? 'nothing',
      lines: result?.lines ?? 0,
      totalCents: result?.totalCents ?? 0,
      computedBy: this.deps.instance,
    });
  }
}
