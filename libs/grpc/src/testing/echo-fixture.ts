import type { Tracer } from '@opentelemetry/api';
import type { AccessGate } from '@pcn/auth';
import { testingV1 } from '@pcn/contracts';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createClient, type CreateClientOptions } from '../client/client';
import type { CallContext } from '../server/call-context';
import { createGrpcServer, type GrpcServer } from '../server/grpc-server';
import { unaryService } from '../server/unary-service';

export type EchoHandler = (request: testingV1.EchoRequest, ctx: CallContext) => Promise<testingV1.EchoResponse>;

/** One line written by the server's pino logger, parsed. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface EchoFixture {
  readonly server: GrpcServer;
  readonly address: string;
  readonly registry: Registry;
  readonly logs: LogLine[];
  /** What the Echo method does; tests replace it. */
  handler: EchoHandler;
  client(options?: CreateClientOptions): testingV1.EchoClient;
  close(): Promise<void>;
}

/** Answers with the message, the caller's actor and the trace it joined. */
export const echoBack: EchoHandler = async (request, ctx) => ({
  message: request.message,
  actor: ctx.actor,
  traceId: ctx.traceId ?? '',
});

/** A GrpcServer on an ephemeral loopback port serving pcn.testing.v1.Echo through the kit. */
export async function startEchoServer(
  options: { tracer?: Tracer; drainDelayMs?: number; access?: AccessGate; maxReceiveMessageBytes?: number } = {},
): Promise<EchoFixture> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const registry = new Registry();
  const server = createGrpcServer({ logger, drainDelayMs: options.drainDelayMs, maxReceiveMessageBytes: options.maxReceiveMessageBytes });
  const state = { handler: echoBack };
  server.addService(
    testingV1.EchoService,
    unaryService(
      testingV1.EchoService,
      { echo: (request, ctx) => state.handler(request, ctx) },
      { logger, registry, tracer: options.tracer, access: options.access },
    ),
  );
  const address = `127.0.0.1:${await server.start('127.0.0.1', 0)}`;
  const clients: testingV1.EchoClient[] = [];

  return {
    server,
    address,
    registry,
    logs,
    get handler() {
      return state.handler;
    },
    set handler(handler: EchoHandler) {
      state.handler = handler;
    },
    client(clientOptions) {
      const client = createClient(testingV1.EchoClient, address, clientOptions);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await server.shutdown(1000);
    },
  };
}

/** The log lines of completed calls. */
export function callLines(logs: readonly LogLine[]): LogLine[] {
  return logs.filter((line) => line.msg === 'grpc call');
}
