import { timed } from './report';

/** The wall time of a workload and the latency of each of its calls (milliseconds, by call index). */
export interface Measured {
  readonly seconds: number;
  readonly latencies: number[];
}

/** Calls `call(0..calls-1)` with `concurrency` in flight, each timed; the first failure fails the run. */
export async function measure(calls: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<Measured> {
  const latencies = new Array<number>(calls);
  let next = 0;
  const { seconds } = await timed(() =>
    Promise.all(
      Array.from({ length: Math.min(concurrency, calls) }, async () => {
        for (let i = next++; i < calls; i = next++) {
          const start = performance.now();
          await call(i);
          latencies[i] = performance.now() - start;
        }
      }),
    ),
  );
  return { seconds, latencies };
}
