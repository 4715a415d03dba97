import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface WriteRun {
  /** Every answer received in full, in order of arrival. */
  readonly answered: Answer[];
  /** How each client's last request failed (the error code), one per client. */
  readonly failures: string[];
}

function post(agent: Agent, port: number, path: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * Clients writing one request after another on keep-alive connections until the server stops
 * taking them; `stop` runs (once) when `stopAfter` answers have come, while they are at it.
 */
export async function writeUntilRefused(options: {
  readonly port: number;
  readonly path: string;
  /** Sent with every request (e.g. authorization). */
  readonly headers?: Record<string, string>;
  readonly clients: number;
  readonly body: (n: number) => unknown;
  readonly stopAfter: number;
  readonly stop: () => void | Promise<void>;
}): Promise<WriteRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const answered: Answer[] = [];
  const failures: string[] = [];
  let sent = 0;
  let stopped = false;
  const client = async (): Promise<void> => {
    for (;;) {
      try {
        answered.push(await post(agent, options.port, options.path, options.body(++sent), options.headers ?? {}));
      } catch (error) {
        failures.push((error as NodeJS.ErrnoException).code ?? String(error));
        return;
      }
      if (answered.length >= options.stopAfter && !stopped) {
        stopped = true;
        await options.stop();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, client));
  } finally {
    agent.destroy();
  }
  return { answered, failures };
}
