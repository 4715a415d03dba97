import { RecentlyUsed } from '@pcn/eventsourcing';
import type { DeclarationFacts } from '../../application/ports';

export interface RecentDeclarationFactsOptions {
  /** How long facts read from the directory are reused; 0 reads every time. */
  readonly ttlMs: number;
  /** Centre and GP pairs kept at most (least recently used go first). */
  readonly maxEntries: number;
  readonly now?: () => number;
}

export const DEFAULT_DECLARATION_FACTS_TTL: RecentDeclarationFactsOptions = { ttlMs: 1_000, maxEntries: 20_000 };

interface Entry {
  readonly facts: Promise<DeclarationFacts>;
  readonly until: number;
  readonly generation: number;
}

/**
 * The directory's facts for a declaration (a centre and a GP), reused for `ttlMs` (issue 16: a
 * statement per declaration for facts that change a few times a year). Concurrent declarations
 * for the same pair share one read. A write to the directory through this process forgets every
 * entry at once; a write by another instance is seen here within `ttlMs`. The directory is itself
 * fed by the registry's and staff's events over Kafka, later than they happen: reusing its facts
 * for a second adds as little to that delay (docs/adr/0029, "Directory facts").
 */
export class RecentDeclarationFacts {
  private readonly entries: RecentlyUsed<string, Entry>;
  private readonly now: () => number;
  private generation = 0;

  constructor(private readonly options: RecentDeclarationFactsOptions = DEFAULT_DECLARATION_FACTS_TTL) {
    this.entries = new RecentlyUsed(options.maxEntries);
    this.now = options.now ?? Date.now;
  }

  get(centreFiness: string, rpps: string, read: () => Promise<DeclarationFacts>): Promise<DeclarationFacts> {
    if (this.options.ttlMs <= 0) return read();
    const key = `${centreFiness}|${rpps}`;
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.until > now && entry.generation === this.generation) return entry.facts;
    const generation = this.generation;
    const facts = read();
    this.entries.set(key, { facts, until: now + this.options.ttlMs, generation });
    // A failed read is not kept: the next declaration reads again.
    facts.catch(() => {
      if (this.entries.peek(key)?.facts === facts) this.entries.delete(key);
    });
    return facts;
  }

  /** The directory changed: nothing read before is reused. */
  forgetAll(): void {
    this.generation++;
  }
}
