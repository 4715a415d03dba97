import type { AccessibilityClass } from './e2sfca';

export interface CommuneAccessibility {
  readonly code: string;
  readonly accessibility: number;
  readonly class: AccessibilityClass;
}

export interface ClassChange {
  readonly code: string;
  readonly before: CommuneAccessibility;
  readonly after: CommuneAccessibility;
}

export interface Comparison {
  /** Communes whose class differs, in the order of `after`. */
  readonly changed: ClassChange[];
  readonly becameUnderserved: number;
  readonly becameServed: number;
  /** Communes present in only one of the two computations (a different territory or data vintage). */
  readonly onlyBefore: string[];
  readonly onlyAfter: string[];
}

/** Which communes changed class between two computations, matched by INSEE code. */
export function compareComputations(before: readonly CommuneAccessibility[], after: readonly CommuneAccessibility[]): Comparison {
  const earlier = new Map(before.map((entry) => [entry.code, entry]));
  const changed: ClassChange[] = [];
  const onlyAfter: string[] = [];
  let becameUnderserved = 0;
  let becameServed = 0;
  for (const entry of after) {
    const previous = earlier.get(entry.code);
    earlier.delete(entry.code);
    if (previous === undefined) {
      onlyAfter.push(entry.code);
      continue;
    }
    if (previous.class === entry.class) continue;
    changed.push({ code: entry.code, before: previous, after: entry });
    if (entry.class === 'underserved') becameUnderserved++;
    else becameServed++;
  }
  return { changed, becameUnderserved, becameServed, onlyBefore: [...earlier.keys()], onlyAfter };
}
