import type { ApiMount } from '@pcn/http';
import type { GrpcServer, UnaryOptions } from '@pcn/grpc';
import type { Logger, Metrics } from '@pcn/observability';
import type { MessageBus } from '@pcn/messaging';
import type { EventStore, ProjectionRunner } from '@pcn/eventsourcing';
import type { Config } from '../config';
import type { Database } from '../database';

/** What every service target receives from the system, and where it plugs its transports. */
export interface TargetContext {
  readonly config: Config;
  readonly database: Database;
  readonly bus: MessageBus;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Where a target adds its gRPC service (behind the system's fence). */
  readonly grpc: Pick<GrpcServer, 'addService'>;
  /** Carries the access gate: every handler built with it authenticates and authorises its calls. */
  readonly unaryOptions: UnaryOptions & Required<Pick<UnaryOptions, 'access'>>;
  readonly mounts: ApiMount[];
  readonly openApis: object[];
  readonly projections: { runner: ProjectionRunner; store: EventStore }[];
  /** Called in reverse order at shutdown, or when a later step of the start fails. */
  onStop(stop: () => Promise<void>): void;
}
