import type { EventStore, ProjectionRunner } from '@pcn/eventsourcing';
import type { Metrics } from '@pcn/observability';

/** Publishes each projection's position and its lag behind the log, every `intervalMs`. */
export function watchProjections(runners: readonly { runner: ProjectionRunner; store: EventStore }[], metrics: Metrics, intervalMs = 5000): () => void {
  const sample = async (): Promise<void> => {
    for (const { runner, store } of runners) {
      const head = await store.headPosition();
      metrics.projectionPosition.set({ projection: runner.name }, runner.position);
      metrics.projectionLag.set({ projection: runner.name }, Math.max(0, head - runner.position));
    }
  };
  const timer = setInterval(() => void sample().catch(() => undefined), intervalMs);
  timer.unref();
  void sample().catch(() => undefined);
  return () => clearInterval(timer);
}
