import type { StreamAppend } from './event-store';

export interface GroupCommitOptions {
  /** Appends sent at once; requests arriving while they are all busy wait and go together. */
  readonly maxInFlight: number;
  /** Events at most in one merged append (a request larger than this still goes, alone). */
  readonly maxEvents: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxInFlight: 2, maxEvents: 5_000 };
/** Every request at once, alone: one statement per append (the benches' raw baseline). */
export const NO_GROUP_COMMIT: GroupCommitOptions = { maxInFlight: Number.POSITIVE_INFINITY, maxEvents: 0 };

/**
 * What a merged append answers: written, with the revisions in request order and the last
 * position; or refused, nothing written, with the parts (indexes in the merged request) whose
 * expected revision failed or whose event ids are already stored.
 */
export type MergedAppend =
  | { readonly written: true; readonly revisions: readonly number[]; readonly lastPosition: number }
  | { readonly written: false; readonly refusedParts: readonly number[] };

/** One caller's append, waiting for a free slot. */
interface Waiting {
  readonly appends: readonly StreamAppend[];
  readonly events: number;
  /** Runs the request on its own, as without grouping, and settles its caller. Never rejects. */
  readonly alone: () => Promise<void>;
  /** Settles the caller with its share of a merged append that wrote everything. */
  readonly share: (streams: { streamId: string; nextExpectedRevision: number }[], lastPosition: number) => void;
}

/**
 * Group commit for an event store whose multi-stream append is one atomic statement: requests
 * that arrive while `maxInFlight` appends are already running wait, and then go as one append of
 * all their streams, one statement and one commit for many callers (issue 16). A request finding
 * a free slot goes at once, alone: grouping never adds waiting to a quiet store.
 *
 * The merged append keeps each request's rules, because its parts are exactly the requests'
 * parts: every stream's expected revision is checked, and the request's event ids name its
 * events. Requests sharing a stream never go together, and keep their order. The merged append
 * is one transaction: when it is refused, nothing of it was written; the requests it names (an
 * expected revision that fails, event ids already stored) run again alone, so their callers get
 * the error or the replay they would have had without grouping, and the others go together
 * again. After an error, every request runs alone and meets the error itself if it is its own.
 */
export class GroupCommit {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly together: (appends: readonly StreamAppend[]) => Promise<MergedAppend>,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /**
   * Appends `appends`, alone (`alone`) or with others; `share` builds the caller's answer from its
   * streams' new revisions and the position of its last event.
   */
  submit<T>(
    appends: readonly StreamAppend[],
    alone: () => Promise<T>,
    share: (streams: { streamId: string; nextExpectedRevision: number }[], lastPosition: number) => T,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        appends,
        events: appends.reduce((n, a) => n + a.events.length, 0),
        alone: () => alone().then(resolve, reject),
        share: (streams, lastPosition) => {
          try {
            resolve(share(streams, lastPosition));
          } catch (error) {
            reject(error);
          }
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The oldest waiting request and those after it that share no stream with an earlier waiting one, up to `maxEvents`. */
  private take(): Waiting[] {
    const batch: Waiting[] = [];
    const claimed = new Set<string>();
    let events = 0;
    let i = 0;
    while (i < this.queue.length) {
      const waiting = this.queue[i]!;
      const free = waiting.appends.every((a) => !claimed.has(a.streamId));
      // A request left waiting still claims its streams: a later one on them must not overtake it.
      for (const a of waiting.appends) claimed.add(a.streamId);
      if (free && (batch.length === 0 || events + waiting.events <= this.options.maxEvents)) {
        batch.push(waiting);
        events += waiting.events;
        this.queue.splice(i, 1);
      } else i++;
    }
    return batch;
  }

  private async run(batch: readonly Waiting[]): Promise<void> {
    if (batch.length === 0) return;
    if (batch.length === 1) return batch[0]!.alone();
    let merged: MergedAppend;
    try {
      merged = await this.together(batch.flatMap((w) => w.appends));
    } catch {
      // Not swallowed: each request runs again alone, and meets the error itself if it is its own.
      await Promise.all(batch.map((w) => w.alone()));
      return;
    }
    if (!merged.written) {
      const refused = new Set(merged.refusedParts);
      const owners = new Set<Waiting>();
      let part = 0;
      for (const w of batch) {
        if (w.appends.some((_, i) => refused.has(part + i))) owners.add(w);
        part += w.appends.length;
      }
      // A refusal that names no part would loop: then all alone, as after an error.
      const alone = owners.size === 0 ? batch : batch.filter((w) => owners.has(w));
      const rest = owners.size === 0 ? [] : batch.filter((w) => !owners.has(w));
      await Promise.all([...alone.map((w) => w.alone()), this.run(rest)]);
      return;
    }
    let stream = 0;
    let eventsAfter = batch.reduce((n, w) => n + w.events, 0);
    for (const w of batch) {
      const streams = w.appends.map((a, i) => ({ streamId: a.streamId, nextExpectedRevision: merged.revisions[stream + i]! }));
      stream += w.appends.length;
      eventsAfter -= w.events;
      w.share(streams, merged.lastPosition - eventsAfter);
    }
  }
}
