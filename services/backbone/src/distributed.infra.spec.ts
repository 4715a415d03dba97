import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { registryV1 as pb } from '@pcn/contracts';
import { eventually } from '@pcn/eventsourcing/testing';
import { callUnary, createClient } from '@pcn/grpc';
import { finess } from '@pcn/registry/testing';
import { ANY_PORTS, KAFKA_BROKERS, runNode, scratchDatabase, startedPorts } from './testing-processes';
import { scratchIssuer } from './testing-tokens';

const MAIN = join(__dirname, '..', 'dist', 'main.js');
const WATCH = join(__dirname, '..', 'dist', 'watch.js');

describe('distributed mode: the registry in its own process, Kafka, a consumer in another process', () => {
  const { url: dbUrl, procs } = scratchDatabase('pcn_dist');

  it('carries one trace id from a gRPC call through the event store, the relay and Kafka to the consumer', async () => {
    const issuer = await scratchIssuer();
    const registry = runNode(MAIN, ['--target=registry'], {
      PCN_STORE: 'postgres',
      PG_URL: dbUrl,
      PCN_BUS: 'kafka',
      KAFKA_BROKERS,
      ...issuer.env,
      ...ANY_PORTS,
    });
    procs.push(registry);
    const watcher = runNode(WATCH, ['pcn.registry.v1', '--brokers', KAFKA_BROKERS, '--group', `dist-test-${randomBytes(4).toString('hex')}`], {});
    procs.push(watcher);
    const { grpcPort } = await startedPorts(registry);
    await eventually(() => expect(watcher.output()).toContain('watching'), 60_000, 100);

    // A FINESS of this run only: the topic is shared with earlier runs on the same broker.
    const id = finess(`930${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`);
    const traceId = randomBytes(16).toString('hex');
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
    metadata.set('authorization', (await issuer.authorization()).authorization);
    const client = createClient(pb.CentreRegistryClient, `127.0.0.1:${grpcPort}`);
    try {
      await callUnary(
        client,
        'registerCentre',
        pb.RegisterCentreRequest.fromPartial({
          finess: id,
          name: 'Centre de santé Ambroise-Croizat',
          manager: { kind: pb.ManagerKind.MANAGER_KIND_MUTUELLE, name: 'Mutuelle de France' },
          type: pb.CentreType.CENTRE_TYPE_POLYVALENT,
          communeInsee: '93066',
          address: { line1: '1 place du Caquet', postalCode: '93200', city: 'Saint-Denis' },
          commitments: { sector1FeesOnly: true, fullThirdPartyPayment: true, salariedStaff: true },
          governance: { electedOfficialsSeats: 2, usersSeats: 2, staffSeats: 2 },
          healthProject: { adoptedOn: '2026-01-01', axes: [pb.HealthProjectAxis.HEALTH_PROJECT_AXIS_PREVENTION] },
          services: [pb.CentreServiceKind.CENTRE_SERVICE_KIND_GENERAL_MEDICINE],
        }),
        { metadata },
      );
      await callUnary(client, 'accreditCentre', pb.AccreditCentreRequest.fromPartial({ finess: id, expectedVersion: 0, accreditedOn: '2026-03-01' }), {
        metadata,
      });
      // A call of its own trace: the token only, no traceparent.
      const untraced = new Metadata();
      untraced.set('authorization', metadata.get('authorization')[0]!);
      await callUnary(client, 'suspendCentre', pb.SuspendCentreRequest.fromPartial({ finess: id, expectedVersion: 1, reason: 'audit' }), {
        metadata: untraced,
      });
    } finally {
      client.close();
    }

    // The consumer, in its own process, receives the three events in order...
    const ofThisCentre = (): Record<string, unknown>[] => watcher.lines().filter((l) => l.msg === 'event' && l.key === id);
    await eventually(() => expect(ofThisCentre()).toHaveLength(3), 60_000, 200);
    const events = ofThisCentre();
    expect(events.map((e) => e.type)).toEqual(['pcn.events.v1.CentreRegistered', 'pcn.events.v1.CentreAccredited', 'pcn.events.v1.CentreSuspended']);
    expect(events[0]!.data).toMatchObject({
      centre: { finess: id, status: 'CENTRE_STATUS_CANDIDATE', communeInsee: '93066' },
      managerKind: 'MANAGER_KIND_MUTUELLE',
    });
    // ...and logs them under the trace id of the gRPC call that caused them.
    expect(events[0]!.trace_id).toBe(traceId);
    expect(events[1]!.trace_id).toBe(traceId);
    expect(events[2]!.trace_id).not.toBe(traceId);
    // The registry logged the call under the same trace id.
    expect(registry.lines().some((l) => l.trace_id === traceId && l.grpc_method === 'RegisterCentre')).toBe(true);

    // A plain Kafka client reads the same messages and their CloudEvents headers.
    const kcat = spawnSync('kcat', ['-b', KAFKA_BROKERS, '-C', '-t', 'pcn.registry.v1', '-o', 'beginning', '-e', '-q', '-f', '%k %h\\n'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(kcat.status).toBe(0);
    const line = kcat.stdout.split('\n').find((l) => l.startsWith(`${id} `) && l.includes('ce_type=pcn.events.v1.CentreRegistered'));
    expect(line).toBeDefined();
    expect(line).toContain(`traceparent=00-${traceId}-`);
    expect(line).toContain('ce_source=/pcn/registry');
  }, 120_000);
});
