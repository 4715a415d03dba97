import { isDeepStrictEqual } from 'node:util';
import type { PayGridVersion } from './pay-grid';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (isDeepStrictEqual(a, b)) return;
  if (isObj(a) && isObj(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[key], b[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => walk(item, b[i], `${path}[${i}]`, out));
    return;
  }
  out.push(path || '(root)');
}

/**
 * Where two versions of one id differ, as paths (`grades.ph.label`, `sources[0].url`,
 * `grades.ph.echelons[2].annualGrossCents`): a refused republication says exactly what changed,
 * a label as much as a figure. Key order is not a difference (a store may reorder keys).
 */
export function versionDifferences(published: PayGridVersion, candidate: PayGridVersion): string[] {
  const out: string[] = [];
  walk(published, candidate, '', out);
  return out;
}
