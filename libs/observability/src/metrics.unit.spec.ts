import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { MetricConflictError } from './errors';
import { createMetrics } from './metrics';
import { metricsHandler, startMetricsServer } from './metrics-http';
import { deadLetters, relayPosition } from './pcn-metrics';

describe('metrics', () => {
  it('serves the default and PCN metrics over real HTTP in the Prometheus text format', async () => {
    const metrics = createMetrics();
    metrics.deadLetters.inc({ topic: 'pcn.registry.v1', consumer: 'attribution' });
    metrics.commandDuration.observe({ service: 'registry', command: 'RegisterCentre', outcome: 'ok' }, 0.012);
    metrics.relayPosition.set({ relay: 'registry' }, 42);
    const server = await startMetricsServer({ registry: metrics.registry, port: 0, host: '127.0.0.1' });
    try {
      expect(server.port).toBeGreaterThan(0);
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const body = await res.text();
      expect(body).toContain('pcn_dead_letters_total{topic="pcn.registry.v1",consumer="attribution"} 1');
      expect(body).toContain('pcn_command_duration_seconds_bucket{le="0.025",service="registry",command="RegisterCentre",outcome="ok"} 1');
      expect(body).toContain('pcn_relay_position{relay="registry"} 42');
      expect(body).toContain('# TYPE pcn_projection_lag_events gauge');
      expect(body).toContain('# TYPE pcn_consumer_lag_messages gauge');
      expect(body).toContain('# TYPE pcn_messages_consumed_total counter');
      expect(body).toContain('process_cpu_user_seconds_total');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('registers each named metric once per registry (get-or-create)', () => {
    const registry = new Registry();
    const a = deadLetters(registry);
    expect(deadLetters(registry)).toBe(a);
    expect(deadLetters(new Registry())).not.toBe(a);
    expect(registry.getMetricsAsArray()).toHaveLength(1);
  });

  it('refuses a name already registered with another type', () => {
    const registry = new Registry();
    new Gauge({ name: 'pcn_relay_position', help: 'x', registers: [registry] });
    expect(() => relayPosition(registry)).toThrow(MetricConflictError);
    const other = new Registry();
    new Gauge({ name: 'pcn_relay_position', help: 'x', labelNames: ['other'], registers: [other] });
    expect(() => relayPosition(other)).toThrow(/expected labels \[relay\]/);
  });

  it('can leave the default metrics out and add default labels', async () => {
    const metrics = createMetrics({ defaultMetrics: false, defaultLabels: { service: 'billing' } });
    metrics.projectionLag.set({ projection: 'statements' }, 3);
    const body = await metrics.registry.metrics();
    expect(body).not.toContain('process_cpu_user_seconds_total');
    expect(body).toContain('pcn_projection_lag_events{projection="statements",service="billing"} 3');
  });

  it('plugs into any (req, res) server as a handler', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.messagesConsumed.inc({ topic: 't', consumer: 'c' }, 2);
    const server = createServer(metricsHandler(metrics.registry));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const body = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).text();
      expect(body).toContain('pcn_messages_consumed_total{topic="t",consumer="c"} 2');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reports a collection failure as a 500 with the reason, or to next()', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'broken',
      help: 'x',
      registers: [registry],
      collect() {
        throw new Error('sensor unplugged');
      },
    });
    const server = createServer(metricsHandler(registry));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('sensor unplugged');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const next = jest.fn();
    metricsHandler(registry)({} as never, {} as never, next);
    await new Promise((r) => setTimeout(r, 10));
    expect(next).toHaveBeenCalledWith(expect.objectContaining({ message: 'sensor unplugged' }));
  });
});
