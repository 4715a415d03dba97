import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PgSqlClient } from '@pcn/eventsourcing';

/** A child process whose output is kept, for tests that run the compiled binaries. */
export interface Proc {
  readonly child: ChildProcess;
  output(): string;
  /** Output lines that parse as JSON (the pino log lines). */
  lines(): Record<string, unknown>[];
  readonly exit: Promise<number | null>;
}

export function runNode(script: string, args: string[], env: Record<string, string>): Proc {
  // No shutdown grace period unless a test asks: no load balancer sits in front of these processes.
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', PCN_SHUTDOWN_GRACE_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exit,
  };
}

/**
 * The binary binds ports the system chooses and tells which in its "pcn started" line: a port
 * a test picked as free could be taken by something else before the child binds it.
 */
export const ANY_PORTS = { PCN_HTTP_PORT: '0', PCN_GRPC_PORT: '0' } as const;

export interface StartedPorts {
  readonly httpPort: number;
  readonly grpcPort: number;
}

/** Waits for the child's "pcn started" line and reads the HTTP and gRPC ports it bound; fails with its output if it exits first. */
export async function startedPorts(proc: Proc, timeoutMs = 60_000): Promise<StartedPorts> {
  let exited = false;
  void proc.exit.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = proc.lines().find((l) => l.msg === 'pcn started');
    if (line) {
      const http = /:(\d+)$/.exec(String(line.http));
      const grpc = /:(\d+)$/.exec(String(line.grpc));
      if (!http || !grpc) throw new Error(`the "pcn started" line carries no ports: ${JSON.stringify(line)}`);
      return { httpPort: Number(http[1]), grpcPort: Number(grpc[1]) };
    }
    if (exited || Date.now() > deadline) throw new Error(`the process ${exited ? 'exited' : 'did not start'} before "pcn started":\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/**
 * For a test file that runs the binaries on the real servers: a database of its own on the
 * PostgreSQL server (created before the tests, dropped after), and the processes it started,
 * stopped at the end whatever happened.
 */
export function scratchDatabase(prefix: string): { readonly url: string; readonly procs: Proc[] } {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new PgSqlClient(PG_URL);
  const procs: Proc[] = [];
  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exit));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }, 60_000);
  return { url: PG_URL.replace(/\/[^/]*$/, `/${name}`), procs };
}
