import { join } from 'node:path';
import { eventually } from '@pcn/eventsourcing/testing';
import { finess, registration } from '@pcn/registry/testing';
import { ANY_PORTS, KAFKA_BROKERS, runNode, scratchDatabase, startedPorts } from './testing-processes';
import { scratchIssuer } from './testing-tokens';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

describe('distributed mode: registry and staff in their own processes, over Kafka and PostgreSQL', () => {
  const { url: dbUrl, procs } = scratchDatabase('pcn_staff');

  it('staff learns a centre from pcn.registry.v1 on Kafka, takes staff there, and ends their assignments when it closes', async () => {
    const issuer = await scratchIssuer();
    const auth = await issuer.authorization();
    const env = { PCN_STORE: 'postgres', PG_URL: dbUrl, PCN_BUS: 'kafka', KAFKA_BROKERS, ...issuer.env };
    const registry = runNode(MAIN, ['--target=registry'], { ...env, ...ANY_PORTS });
    const staff = runNode(MAIN, ['--target=staff'], { ...env, ...ANY_PORTS });
    procs.push(registry, staff);
    const { httpPort: registryHttp } = await startedPorts(registry);
    const { httpPort: staffHttp } = await startedPorts(staff);
    const post = (port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: JSON.stringify(body),
      });

    // A FINESS of this run only: the topic is shared with earlier runs on the same broker.
    const first8 = `930${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
    const centre = finess(first8);
    expect((await post(registryHttp, '/v1/centres', registration(first8))).status).toBe(201);

    const hired = await post(staffHttp, '/v1/staff/professionals', {
      lastName: 'Martin',
      firstName: 'Inès',
      profession: 'nurse',
      grade: 'ide_b_cn',
      echelon: 3,
      hiredOn: '2026-01-05',
    });
    expect(hired.status).toBe(201);
    const { professionalId } = (await hired.json()) as { professionalId: string };
    // The staff process has no access to the registry's tables: it learns the centre from Kafka.
    await eventually(
      async () =>
        expect(
          (await post(staffHttp, `/v1/staff/professionals/${professionalId}/assignments`, { centreFiness: centre, fte: '0.5', startOn: '2026-02-01' })).status,
        ).toBe(201),
      60_000,
      500,
    );

    expect((await post(registryHttp, `/v1/centres/${centre}/closure`, { effectiveDate: '2026-09-30', reason: 'merged' }, { 'If-Match': '"0"' })).status).toBe(
      200,
    );
    await eventually(
      async () => {
        const professional = (await (
          await fetch(`http://127.0.0.1:${staffHttp}/v1/staff/professionals/${professionalId}?asOf=2026-03-01`, { headers: auth })
        ).json()) as {
          allAssignments: { endOn?: string }[];
        };
        expect(professional.allAssignments).toEqual([expect.objectContaining({ centreFiness: centre, endOn: '2026-09-30' })]);
      },
      60_000,
      500,
    );
    const history = (await (await fetch(`http://127.0.0.1:${staffHttp}/v1/staff/professionals/${professionalId}/history`, { headers: auth })).json()) as {
      entries: { type: string; data: { reason?: string } }[];
    };
    expect(history.entries.filter((e) => e.type === 'AssignmentEnded').map((e) => e.data.reason)).toEqual(['centre_closed']);
  }, 180_000);
});
