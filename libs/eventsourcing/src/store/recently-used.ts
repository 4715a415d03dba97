/**
 * A map that keeps at most `maxEntries`, the least recently used going first, in constant time
 * per operation.
 *
 * Why not `map.delete(map.keys().next().value)` on each insert: V8 leaves a deleted entry as a
 * hole at the front of the map's table until the next rehash, and every new iterator walks over
 * the holes. A full cache fed new keys in a stream (an import) deletes at the front on every
 * insert, so each eviction walked thousands of holes: 5 s of CPU for 150,000 inserts into a
 * 50,000-entry map (issue 16). Here one iterator lives as long as the map: a map iterator sees
 * entries added after it was made, and the entry it stands on is always the oldest one still
 * present (a touched entry moves to the end, behind it), so it never walks a hole twice.
 */
export class RecentlyUsed<K, V> {
  private readonly entries = new Map<K, V>();
  /** Stands just before the oldest entry; renewed once it has reached the end. */
  private oldest: Iterator<K> = this.entries.keys();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry without marking it used. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** The entry, marked most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) this.set(key, value);
    return value;
  }

  /** Adds or replaces the entry as the most recently used, then drops the oldest beyond `maxEntries`. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      let next = this.oldest.next();
      if (next.done) {
        this.oldest = this.entries.keys();
        next = this.oldest.next();
      }
      this.entries.delete(next.value as K);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
