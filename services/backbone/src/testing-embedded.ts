import { join } from 'node:path';
import { eventually } from '@pcn/eventsourcing/testing';
import { runNode, type Proc } from './testing-processes';

/** The compiled binary, as operators run it (build it first: npm run build). */
export const MAIN = join(__dirname, '..', 'dist', 'main.js');

export interface Started {
  readonly proc: Proc;
  /** e.g. http://127.0.0.1:40123 */
  readonly http: string;
  readonly grpc: string;
}

/** Runs the binary in embedded mode on `dataDir`, ports chosen by the system. */
export function runEmbedded(dataDir: string, env: Record<string, string> = {}): Proc {
  return runNode(MAIN, [], { PCN_DATA_DIR: dataDir, PCN_HTTP_PORT: '0', PCN_GRPC_PORT: '0', ...env });
}

/** Waits for the "pcn started" line and reads the addresses it gives. */
export async function started(proc: Proc): Promise<Started> {
  let line: Record<string, unknown> | undefined;
  await eventually(
    () => {
      line = proc.lines().find((l) => l.msg === 'pcn started');
      expect(line ?? proc.output().slice(-2000)).toMatchObject({ msg: 'pcn started' });
    },
    60_000,
    100,
  );
  return { proc, http: String(line!.http), grpc: String(line!.grpc) };
}

export async function startEmbedded(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  return started(runEmbedded(dataDir, env));
}

/** SIGTERM, and the exit code. */
export async function stop(proc: Proc): Promise<number | null> {
  if (proc.child.exitCode === null) proc.child.kill('SIGTERM');
  return proc.exit;
}

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
