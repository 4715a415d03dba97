import { spawn, type ChildProcess } from 'node:child_process';

/** A child process whose output is kept, for tests that run the compiled binaries. */
export interface Proc {
  readonly child: ChildProcess;
  output(): string;
  /** Output lines that parse as JSON (the pino log lines). */
  lines(): Record<string, unknown>[];
  readonly exit: Promise<number | null>;
}

export function runNode(script: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

export const randomPort = (): number => 20000 + Math.floor(Math.random() * 20000);
