import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data directory holds patients' data and the NIR key: readable by its owner only. Creates
 * it with mode 0700, and takes group and other permissions away from whatever an earlier
 * version left readable, except from the files in `leave` (a secret others could read must be
 * refused and replaced, not quietly tightened). Returns how many entries were tightened.
 */
export function secureDataDir(dir: string, leave: readonly string[] = []): number {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return tighten(dir, new Set(leave.map((name) => join(dir, name))));
}

function tighten(path: string, leave: ReadonlySet<string>): number {
  if (leave.has(path)) return 0;
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0;
  let changed = 0;
  if ((stat.mode & 0o077) !== 0) {
    chmodSync(path, stat.mode & 0o700);
    changed++;
  }
  if (stat.isDirectory()) for (const entry of readdirSync(path)) changed += tighten(join(path, entry), leave);
  return changed;
}
