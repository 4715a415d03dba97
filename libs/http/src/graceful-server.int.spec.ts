import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { GracefulHttpServer } from './graceful-server';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One POST on the agent's keep-alive connections; rejects with the socket error's code. */
function post(agent: Agent, port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end('{"write":true}');
  });
}

/** A server whose POST /write records a write, then answers on a later turn of the loop (as a database write does). */
function writeServer(): { server: GracefulHttpServer; writes: number[]; release: Map<number, () => void> } {
  const writes: number[] = [];
  const release = new Map<number, () => void>();
  const server = new GracefulHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const n = writes.push(writes.length + 1);
      const answer = (): void => void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ write: n }));
      if (req.url === '/slow') release.set(n, answer);
      else setImmediate(answer);
    });
  });
  return { server, writes, release };
}

describe('GracefulHttpServer draining', () => {
  it('answers every write a keep-alive client sends while it drains, with Connection: close, then refuses connections; never resets an accepted request', async () => {
    const { server, writes } = writeServer();
    const port = await server.listen(0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const answered: Answer[] = [];
    const failures: string[] = [];
    let drainStartedAt = -1;
    let drain: Promise<unknown> | undefined;

    // Two clients, each sending writes one after another on its keep-alive connection until it
    // is refused. Draining starts (the SIGTERM) while they are at it.
    const client = async (): Promise<void> => {
      for (;;) {
        try {
          answered.push(await post(agent, port, '/write'));
        } catch (error) {
          failures.push((error as NodeJS.ErrnoException).code ?? String(error));
          return;
        }
        if (answered.length === 20 && !drain) {
          drainStartedAt = answered.length;
          drain = server.drain({ graceMs: 150, timeoutMs: 5000 });
        }
      }
    };
    await Promise.all([client(), client()]);
    await expect(drain).resolves.toEqual({ graceful: true, cut: 0 });
    agent.destroy();

    // Each client ended when the listener closed: refused, or reset while its connection still
    // waited in the kernel's accept queue (so before any request on it was read).
    expect(failures).toHaveLength(2);
    for (const code of failures) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(code);
    // Every write the server accepted was answered in full, and nothing else was written: no
    // client lost the answer to a write that happened.
    expect(answered.every((a) => a.status === 201)).toBe(true);
    expect(answered.map((a) => JSON.parse(a.body).write).sort((a: number, b: number) => a - b)).toEqual(writes);
    // Writes went on being served during the grace period, each answer closing its connection.
    const duringDrain = answered.slice(drainStartedAt + 1);
    expect(duringDrain.length).toBeGreaterThan(0);
    expect(duringDrain.every((a) => a.headers.connection === 'close')).toBe(true);
    expect(answered.slice(0, drainStartedAt - 1).every((a) => a.headers.connection === 'keep-alive')).toBe(true);
  });

  it('lets a request in flight finish after the listener closed, and refuses new connections meanwhile', async () => {
    const { server, release } = writeServer();
    const port = await server.listen(0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    const slow = post(agent, port, '/slow');
    while (release.size === 0) await new Promise((resolve) => setImmediate(resolve));

    const drained = server.drain({ graceMs: 0, timeoutMs: 5000 });
    // The listener is closed once the grace period (0 here) is over: a new connection is refused.
    while (server.server.listening) await new Promise((resolve) => setImmediate(resolve));
    await expect(post(new Agent(), port, '/write')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    release.get(1)!();
    await expect(slow).resolves.toMatchObject({ status: 201, headers: { connection: 'close' } });
    await expect(drained).resolves.toEqual({ graceful: true, cut: 0 });
    agent.destroy();
  });

  it('cuts what is still running at the timeout, and says how much', async () => {
    const { server, release } = writeServer();
    const port = await server.listen(0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    const stuck = post(agent, port, '/slow');
    while (release.size === 0) await new Promise((resolve) => setImmediate(resolve));
    await expect(server.drain({ graceMs: 0, timeoutMs: 50 })).resolves.toEqual({ graceful: false, cut: 1 });
    await expect(stuck).rejects.toMatchObject({ code: 'ECONNRESET' });
    agent.destroy();
  });

  it('is drained once, however many callers ask', async () => {
    const { server } = writeServer();
    await server.listen(0, '127.0.0.1');
    const first = server.drain({ graceMs: 0, timeoutMs: 1000 });
    expect(server.drain({ graceMs: 10_000, timeoutMs: 1000 })).toBe(first);
    expect(server.isDraining).toBe(true);
    await first;
  });
});
