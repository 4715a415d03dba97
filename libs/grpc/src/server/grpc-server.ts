import { Server, ServerCredentials, type ServerOptions, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { fileDescriptorSet } from '@pcn/contracts';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { createReflectionService } from './reflection';
import { guardedDefinition } from './request-guard';

export interface GrpcServerOptions {
  readonly logger: Logger;
  /** Describes the served services for reflection; defaults to every contract of @pcn/contracts. */
  readonly descriptorSet?: Buffer;
  /** Defaults to plaintext: TLS is terminated by the platform in front of the services. */
  readonly credentials?: ServerCredentials;
  /**
   * How long `shutdown` reports NOT_SERVING while still accepting calls, so that health-checking
   * clients and load balancers stop sending calls before they would be refused. Default 0.
   */
  readonly drainDelayMs?: number;
  /** Largest request message accepted; a larger one is answered RESOURCE_EXHAUSTED. Default 1 MiB. */
  readonly maxReceiveMessageBytes?: number;
  readonly serverOptions?: ServerOptions;
}

export const DEFAULT_MAX_RECEIVE_MESSAGE_BYTES = 1024 * 1024;

/** Whether a mutual-TLS server refuses the TLS handshake of a client without a certificate its CA signed. */
export type ClientCertificates = 'optional' | 'required';

/** PEM files of a TLS gRPC server; with `clientCa`, clients may (or must) present a certificate it signed (mutual TLS). */
export interface GrpcTlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly clientCa?: Buffer;
  /**
   * With `clientCa`: `optional` (default) asks every client for a certificate and lets in those
   * without one, whose calls then need a bearer token (a coordinator's tool next to a centre's
   * software); `required` refuses the handshake of any client without a certificate the CA signed.
   */
  readonly clientCertificates?: ClientCertificates;
}

/**
 * TLS credentials; mutual TLS when a client CA is given (the centre's identity then comes from its
 * certificate). Either way only a certificate the CA verified names anyone: grpc-js reports the
 * peer certificate of an authorised TLS socket only (`getAuthContext().sslPeerCertificate`).
 */
export function tlsServerCredentials(files: GrpcTlsFiles): ServerCredentials {
  const pair = [{ cert_chain: files.cert, private_key: files.key }];
  if (files.clientCa === undefined) return ServerCredentials.createSsl(null, pair, false);
  if (files.clientCertificates === 'required') return ServerCredentials.createSsl(files.clientCa, pair, true);
  return new OptionalClientCertificateCredentials(files);
}

/**
 * Asks for a client certificate without requiring one (`requestCert` without
 * `rejectUnauthorized`): grpc-js's `createSsl` ties the two together, so a server that takes both
 * centres' certificates and other callers' tokens on one port needs its own credentials, built on
 * the public `ServerCredentials` constructor with the options `createSsl` would give Node's TLS.
 */
class OptionalClientCertificateCredentials extends ServerCredentials {
  constructor(files: GrpcTlsFiles) {
    super({ requestCert: true, rejectUnauthorized: false }, { ca: files.clientCa, cert: [files.cert], key: [files.key] });
  }

  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}

type State = 'created' | 'started' | 'stopping' | 'stopped';

/**
 * A grpc-js server with standard health checking (`grpc.health.v1.Health`: the overall status
 * "" and one per service, SERVING once started and NOT_SERVING from the start of a shutdown)
 * and server reflection of the services it serves.
 */
export class GrpcServer {
  private readonly server: Server;
  private readonly health = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly services = new Set<string>();
  private readonly added: ServiceDefinition[] = [];
  private state: State = 'created';
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: GrpcServerOptions) {
    this.server = new Server({
      'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? DEFAULT_MAX_RECEIVE_MESSAGE_BYTES,
      ...options.serverOptions,
    });
    this.health.addToServer(this.server);
  }

  /**
   * Serves `definition` (a generated `XxxService`); call before `start`. Its deserializers are
   * guarded: a request that does not decode or holds invalid values is answered INVALID_ARGUMENT
   * by the `unary` adapter (logged and counted) instead of grpc-js's bare INTERNAL.
   */
  addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation): this {
    if (this.state !== 'created') {
      throw new Error('services must be added before the gRPC server starts (reflection lists them at start)');
    }
    const name = serviceNameOf(definition);
    this.server.addService(guardedDefinition(definition), implementation);
    this.services.add(name);
    this.added.push(definition);
    this.health.setStatus(name, 'NOT_SERVING');
    return this;
  }

  /** Reports a service (or "" for the whole server) as (not) serving, e.g. while a dependency is down. */
  setServingStatus(service: string, status: Exclude<ServingStatus, 'UNKNOWN'>): void {
    this.health.setStatus(service, status);
  }

  /** Names of the services added so far. */
  get serviceNames(): readonly string[] {
    return [...this.services];
  }

  /** The definitions of the services added so far, as given (tests derive their calls from them). */
  get definitions(): readonly ServiceDefinition[] {
    return [...this.added];
  }

  /** Binds and starts serving; resolves with the bound port (the chosen one when `port` is 0). */
  async start(host: string, port: number): Promise<number> {
    if (this.state !== 'created') throw new Error(`the gRPC server cannot start: it is ${this.state}`);
    this.state = 'started';
    const descriptorSet = this.options.descriptorSet ?? fileDescriptorSet();
    createReflectionService(descriptorSet, [...this.services]).addToServer(this.server);

    const address = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
    const credentials = this.options.credentials ?? ServerCredentials.createInsecure();
    const boundPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(address, credentials, (error, bound) => (error ? reject(error) : resolve(bound)));
    });
    for (const name of ['', ...this.services]) this.health.setStatus(name, 'SERVING');
    this.options.logger.info({ host, port: boundPort, services: [...this.services] }, 'gRPC server listening');
    return boundPort;
  }

  /**
   * Reports NOT_SERVING, waits `drainDelayMs`, then lets calls in flight finish (no new call is
   * accepted); after `timeoutMs` the remaining calls are cancelled, which aborts their signals.
   */
  shutdown(timeoutMs = 10_000): Promise<void> {
    if (this.state === 'created') {
      this.state = 'stopped';
      return Promise.resolve();
    }
    this.stopped ??= this.stop(timeoutMs);
    return this.stopped;
  }

  private async stop(timeoutMs: number): Promise<void> {
    this.state = 'stopping';
    for (const name of ['', ...this.services]) this.health.setStatus(name, 'NOT_SERVING');
    if (this.options.drainDelayMs) await sleep(this.options.drainDelayMs);
    const graceful = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve(false);
      }, timeoutMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    this.state = 'stopped';
    this.options.logger.info({ graceful }, 'gRPC server stopped');
  }
}

export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  return new GrpcServer(options);
}

function serviceNameOf(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  const match = first && /^\/([^/]+)\//.exec(first.path);
  if (!match) throw new Error('cannot tell the service name of an empty service definition');
  return match[1]!;
}
