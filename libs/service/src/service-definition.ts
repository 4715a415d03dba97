import type { ServiceDefinition as GrpcService, UntypedServiceImplementation } from '@grpc/grpc-js';
import type {
  CommandObserver,
  EventReactor,
  EventSchemas,
  EventStore,
  Projection,
  ProjectionRunner,
  ProjectionRunnerOptions,
  RecordedEvent,
  RunnerLogger,
  SqlClient,
} from '@pcn/eventsourcing';
import type { UnaryOptions } from '@pcn/grpc';
import type { ApiMount, Operation } from '@pcn/http';
import type { EventMapper, MessageHandler, RelayLogger } from '@pcn/messaging';
import type { Logger, Metrics } from '@pcn/observability';
import type { Clock } from '@pcn/time';
import type { z } from 'zod';

/** What a service logs through (pino's Logger fits). */
export interface ServiceLogger extends RunnerLogger, RelayLogger {
  warn(obj: object, msg: string): void;
}

/** The environment variables a service reads, validated at start-up with the rest of the configuration. */
export interface ConfigSlice<Shape extends z.ZodRawShape> {
  readonly shape: Shape;
  /**
   * Rules across variables, checked only when the service runs in the process: each problem
   * names the variable (`PCN_X=value: message` is shown).
   */
  check?(settings: SettingsOf<Shape>, deployment: Deployment): readonly ConfigProblem[];
}

export type SettingsOf<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** What the process was told about where it runs, that a service's options may depend on. */
export interface Deployment {
  /** The event store: embedded PGlite, a PostgreSQL server, or KurrentDB. */
  readonly store: 'pglite' | 'postgres' | 'kurrentdb';
  /** The data directory of the embedded mode (also where embedded secrets are kept). */
  readonly dataDir: string;
}

/** What `configure` may use to turn settings into the service's options. */
export interface ConfigureContext {
  readonly deployment: Deployment;
  /** Named after the service. */
  readonly logger: Logger;
  /** Absent in command-line tools that run the service's code without serving it. */
  readonly metrics?: Metrics;
}

/** What a service's `compose` receives: its store and the kit to build its runners. */
export interface ServiceContext {
  readonly name: string;
  /** The SQL schema of its read models and checkpoints (its name unless a test says otherwise). */
  readonly schema: string;
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly clock: Clock;
  readonly logger?: ServiceLogger;
  readonly onCommand?: CommandObserver;
  readonly readModelWaitMs?: number;
  /** A read model fed by a catch-up subscription: started first, stopped last, its lag watched. */
  projection(projection: Projection, options?: Pick<ProjectionRunnerOptions, 'schemas' | 'batchSize' | 'lingerMs'>): ProjectionRunner;
  /** A process manager following some of the service's streams: started after the projections. */
  reactor(reactor: ReactorDeclaration): EventReactor;
}

export interface ReactorDeclaration {
  /** Its checkpoint key within the service's schema. */
  readonly name: string;
  readonly streamPrefixes: readonly string[];
  readonly schemas?: EventSchemas;
  react(event: RecordedEvent): Promise<void>;
}

/** A topic the service learns from, and the idempotent handler of its consumer group. */
export interface ConsumerDeclaration {
  readonly topic: string;
  readonly groupId: string;
  readonly handler: MessageHandler;
}

/** Work on a timer (a sweep, a schedule): started last, stopped first. */
export interface BackgroundJob {
  start(): void;
  stop(): Promise<void>;
}

export interface HttpRoutes {
  /** Where the router is mounted, e.g. `/v1/centres`. */
  readonly path: string;
  readonly router: ApiMount['router'];
  /** The OpenAPI document of these routes (merged with the other services'). */
  readonly openApi: object;
  /** Every operation the router serves: what the access gate names a request by. */
  readonly operations: readonly Operation[];
}

export interface GrpcHandlers {
  readonly service: GrpcService;
  /** The implementation, given the server's logging and metrics options. */
  implementation(options: UnaryOptions): UntypedServiceImplementation;
}

/** What a service is made of, once composed on its store. */
export interface ServiceParts<App> {
  /** What the transports call and tests drive. */
  readonly application: App;
  /** Runs before the projections start, e.g. publishing shipped reference data. */
  readonly beforeStart?: () => Promise<void>;
  /** Its streams followed from a checkpoint and mapped to integration messages on its topic (`publishes`). */
  readonly relay?: { readonly streamPrefixes: readonly string[]; readonly map: EventMapper };
  /** One per topic of `consumes`. */
  readonly consumers?: readonly ConsumerDeclaration[];
  readonly jobs?: readonly BackgroundJob[];
  readonly http: HttpRoutes;
  readonly grpc: GrpcHandlers;
}

/**
 * A service, declared once. The backbone's targets, its configuration and its start order derive
 * from the list of definitions; `composeService` and `startService` do the wiring every service
 * shares (store, runners, relay, consumers, metrics, transports, start and stop order).
 */
export interface ServiceDefinition<Name extends string, Options, App, Shape extends z.ZodRawShape> {
  /** The target name (`--target=<name>`), the default SQL schema, the logger's module and the metrics label. */
  readonly name: Name;
  /** Every stream the service writes: a KurrentDB store is filtered on them. */
  readonly streamPrefixes: readonly string[];
  /** The topic its relay publishes on, if it publishes. */
  readonly publishes?: string;
  /** The topics it consumes: it starts after the services publishing them. */
  readonly consumes: readonly string[];
  readonly config: ConfigSlice<Shape>;
  /** Its options in a deployed process, from its configuration slice. */
  configure(settings: SettingsOf<Shape>, context: ConfigureContext): Options;
  /**
   * The store as the service reads and writes it, around the one opened for it: projections,
   * reactors, the relay and `compose` all go through it (attribution seals personal data, ADR 0025).
   */
  decorateStore?(store: EventStore, context: { readonly sql: SqlClient; readonly schema: string }): Promise<EventStore>;
  /** Builds its application, runners and transports on an open store. */
  compose(context: ServiceContext, options: Options): Promise<ServiceParts<App>>;
}

/** Any definition, as lists of services hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list holds definitions of different options and applications
export type AnyServiceDefinition = ServiceDefinition<string, any, any, z.ZodRawShape>;

/** Declares a service, keeping its name as a literal type (targets are typed from it). */
export function defineService<const Name extends string, Options, App, Shape extends z.ZodRawShape>(
  definition: ServiceDefinition<Name, Options, App, Shape>,
): ServiceDefinition<Name, Options, App, Shape> {
  return definition;
}
