import { RecentlyUsed } from '@pcn/eventsourcing';
import type { IndexedPseudonym, PseudonymIndex } from './nir-key-ring';

/** Entries kept by default: about 200 bytes each, so some 20 MB. */
export const DEFAULT_CACHED_PSEUDONYMS = 100_000;

/**
 * The pseudonym index with the entries recently found or added kept in memory (least recently
 * used go first), so that a patient named by NIR costs no round trip to the index when named
 * again. Safe without expiry because an indexed pseudonym never changes nor goes (first writer
 * wins, erasure leaves it): what this process saw is what every process sees. A pseudonym not
 * found is not kept: it may be indexed at any moment by a registration elsewhere.
 */
export class CachedPseudonymIndex implements PseudonymIndex {
  private readonly entries: RecentlyUsed<string, IndexedPseudonym>;

  constructor(
    private readonly inner: PseudonymIndex,
    maxEntries = DEFAULT_CACHED_PSEUDONYMS,
  ) {
    this.entries = new RecentlyUsed(maxEntries);
  }

  async find(pseudonyms: readonly string[]): Promise<Map<string, IndexedPseudonym>> {
    const found = new Map<string, IndexedPseudonym>();
    const missing: string[] = [];
    for (const pseudonym of new Set(pseudonyms)) {
      // Marked most recently used when found.
      const entry = this.entries.get(pseudonym);
      if (entry) found.set(pseudonym, entry);
      else missing.push(pseudonym);
    }
    if (missing.length === 0) return found;
    for (const [pseudonym, entry] of await this.inner.find(missing)) {
      this.remember(entry);
      found.set(pseudonym, entry);
    }
    return found;
  }

  async add(entries: readonly IndexedPseudonym[]): Promise<IndexedPseudonym[]> {
    const added = await this.inner.add(entries);
    for (const entry of added) this.remember(entry);
    return added;
  }

  countNotRekeyed(from: string, to: string): Promise<number> {
    return this.inner.countNotRekeyed(from, to);
  }

  private remember(entry: IndexedPseudonym): void {
    this.entries.set(entry.pseudonym, entry);
  }
}
