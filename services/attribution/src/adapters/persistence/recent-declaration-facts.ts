import { RecentlyUsed } from '@pcn/eventsourcing';
import type { DeclarationFacts } from '../../application/ports';

export interface RecentDeclarationFactsOptions {
  /**
   * How old, at most, the last look at the directory's change counter may be when a declaration
   * reuses facts read earlier; 0 reads the facts for every declaration.
   */
  readonly checkIntervalMs: number;
  /** Centre and GP pairs kept at most (least recently used go first). */
  readonly maxEntries: number;
  readonly now?: () => number;
}

export const DEFAULT_DECLARATION_FACTS: RecentDeclarationFactsOptions = { checkIntervalMs: 100, maxEntries: 20_000 };

/** Facts as read, with the directory's change counter read in the same statement. */
export interface CountedFacts {
  readonly facts: DeclarationFacts;
  readonly changes: number;
}

interface Entry {
  readonly facts: Promise<DeclarationFacts>;
  /** The change counter the facts were read at; unknown while the read is in flight. */
  changes?: number;
  /** Local writes made since the read began forget it. */
  readonly epoch: number;
}

/**
 * The directory's facts for a declaration (a centre and a GP), reused while the directory has not
 * changed (issue 16: a statement per declaration for facts that change a few times a year).
 *
 * Every directory write then moves a change counter (directory-tables.ts). Facts
 * are kept with the counter they were read at, and reused only while that is still the counter
 * last seen, which is read again, once for every declaration waiting, when the last look is
 * `checkIntervalMs` old. So a write by any instance is seen within `checkIntervalMs`, and under
 * load the check costs one statement per interval instead of one facts read per centre and GP.
 * A write through this process forgets every entry at once. Concurrent declarations for the same
 * pair share one read.
 */
export class RecentDeclarationFacts {
  private readonly entries: RecentlyUsed<string, Entry>;
  private readonly now: () => number;
  private epoch = 0;
  /** The highest change counter seen, and when the look that saw it began. */
  private known: number | undefined;
  private checkedAt = -Infinity;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly changes: () => Promise<number>,
    private readonly options: RecentDeclarationFactsOptions = DEFAULT_DECLARATION_FACTS,
  ) {
    this.entries = new RecentlyUsed(options.maxEntries);
    this.now = options.now ?? Date.now;
  }

  async get(centreFiness: string, rpps: string, read: () => Promise<CountedFacts>): Promise<DeclarationFacts> {
    if (this.options.checkIntervalMs <= 0) return (await read()).facts;
    const key = `${centreFiness}|${rpps}`;
    if (this.entries.peek(key)?.epoch === this.epoch && this.now() - this.checkedAt >= this.options.checkIntervalMs) await this.check();
    const entry = this.entries.get(key);
    if (entry && entry.epoch === this.epoch && (entry.changes === undefined || entry.changes === this.known)) return entry.facts;
    return this.readInto(key, read);
  }

  /** The directory changed through this process: nothing read before is reused. */
  forgetAll(): void {
    this.epoch++;
  }

  private readInto(key: string, read: () => Promise<CountedFacts>): Promise<DeclarationFacts> {
    const startedAt = this.now();
    const facts = read().then((counted) => {
      entry.changes = counted.changes;
      this.saw(counted.changes, startedAt);
      return counted.facts;
    });
    const entry: Entry = { facts, epoch: this.epoch };
    this.entries.set(key, entry);
    // A failed read is not kept: the next declaration reads again.
    facts.catch(() => {
      if (this.entries.peek(key) === entry) this.entries.delete(key);
    });
    return facts;
  }

  /** One look at the counter for every declaration waiting on it. */
  private check(): Promise<void> {
    this.checking ??= (async () => {
      const startedAt = this.now();
      try {
        this.saw(await this.changes(), startedAt);
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  /** A counter read by a statement that began at `at`: entries read at an older one are stale. */
  private saw(changes: number, at: number): void {
    if (this.known !== undefined && changes < this.known) return;
    this.known = changes;
    this.checkedAt = Math.max(this.checkedAt, at);
  }
}
