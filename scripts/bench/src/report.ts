/** Prints benchmark rows as an aligned table, so runs can be compared by eye and by diff. */
export interface Row {
  readonly target: string;
  readonly operation: string;
  readonly count: number;
  readonly seconds: number;
  readonly baselinePerSecond?: number;
}

export function perSecond(row: Pick<Row, 'count' | 'seconds'>): number {
  return row.count / row.seconds;
}

export function printTable(title: string, rows: readonly Row[]): void {
  const lines = rows.map((r) => {
    const rate = perSecond(r);
    return [
      r.target,
      r.operation,
      String(r.count),
      r.seconds.toFixed(2),
      Math.round(rate).toLocaleString('en-US'),
      r.baselinePerSecond === undefined ? '-' : Math.round(r.baselinePerSecond).toLocaleString('en-US'),
      r.baselinePerSecond === undefined ? '-' : `${(rate / r.baselinePerSecond).toFixed(2)}x`,
    ];
  });
  const header = ['target', 'operation', 'events', 'seconds', 'events/s', 'baseline/s', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\n${title}\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}
