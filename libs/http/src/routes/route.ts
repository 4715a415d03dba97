import type { Identity } from '@pcn/auth';
import type { CommandContext } from '@pcn/eventsourcing';
import type { ZodType } from 'zod';
import type { oas31, ZodOpenApiResponseObject } from 'zod-openapi';
import type { RequestFile } from './streamed-body';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * What a write does with If-Match (a weak tag is always answered 412, RFC 9110 §13.1.1):
 * - `required`: 428 without it, a stale version 412 (the registry's writes);
 * - `optional`: with it a stale version answers 412, without it the write is decided against the latest version;
 * - `refused`: the write is decided against the latest state whatever the caller read, so a condition is refused (400) rather than ignored;
 * - `none`: a creation, which has no version to match yet: the header is not read.
 */
export type IfMatchPolicy = 'required' | 'optional' | 'refused' | 'none';

/** A parameter as the OpenAPI document describes it. */
export interface ParameterDoc {
  readonly description?: string;
  readonly schema?: oas31.SchemaObject | oas31.ReferenceObject;
}

/** What a route handler receives: the path parameters, the accepted query parameters, the body. */
export interface ReadRequest<Q extends string = string> {
  readonly params: Readonly<Record<string, string>>;
  /** The accepted query parameters given, one value each (an empty value counts as absent). */
  readonly query: Readonly<Partial<Record<Q, string>>>;
  /** The parsed JSON body; undefined when none was sent. */
  readonly body: unknown;
  /** The file sent as the body, on a route taking one (`file`): read as it arrives. */
  readonly file?: RequestFile;
  /**
   * The caller the access gate verified, for the scope checks that need the application's data
   * (`{ by: 'application' }` in the policy table); absent on an app without a gate.
   */
  readonly identity?: Identity;
}

/** A write also receives who acts and the version it is based on (per its If-Match policy). */
export interface WriteRequest<Q extends string = string> extends ReadRequest<Q> {
  readonly context: CommandContext;
  /** From If-Match: always set under `required`, when given under `optional`, never otherwise. */
  readonly expectedVersion?: number;
}

/** What a route answers; the table turns it into status, headers and body the same way everywhere. */
export interface Reply {
  /** 200 unless said otherwise. */
  readonly status?: number;
  readonly body: unknown;
  /** The resource's stream revision, sent as the strong ETag `"<version>"`. */
  readonly version?: number;
  /** Where to read the created resource, relative to the service's prefix. */
  readonly location?: string;
  /** Where the answered resource lives, relative to the service's prefix (a lookup's answer). */
  readonly contentLocation?: string;
  /** A body already written in another media type (GeoJSON, SVG, text/csv, application/fhir+json): sent as it is, with this Content-Type. */
  readonly contentType?: string;
}

/** The OpenAPI description of a response (its content may be a zod schema or a reference). */
export type ResponseDoc = ZodOpenApiResponseObject;

/** A request body: an input schema of the application, documented as the component `name`. */
export interface RouteBody {
  readonly name: string;
  readonly schema: ZodType;
  /** True unless said otherwise. */
  readonly required?: boolean;
  /** A body that is not JSON (`text/csv`): read as text of this media type, documented under it; `schema` is then a string's. */
  readonly mediaType?: string;
  /** The largest such body accepted (`4mb`); the body parser's default otherwise. */
  readonly limit?: string;
}

/**
 * A file sent as the request body itself (a payer's CSV): neither parsed nor held whole by the
 * app, read by the handler as it arrives, up to the app's file limit (PCN_HTTP_FILE_LIMIT).
 */
export interface StreamedBody {
  /** The media types accepted, each with its schema as documented; any other answers 415. */
  readonly mediaTypes: Readonly<Record<string, oas31.SchemaObject>>;
  readonly description: string;
}

interface RouteDoc<Q extends string> {
  /** The gRPC method doing the same when there is one (`RegisterCentre`), else a new PascalCase name. */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** OpenAPI path template, relative to the service's prefix: `/centres/{finess}`, or '' for the prefix itself. */
  readonly path: string;
  readonly summary: string;
  readonly tags?: readonly string[];
  /** Every `{name}` of the path, described. */
  readonly params?: Readonly<Record<string, ParameterDoc>>;
  /** The query parameters accepted: any other is refused (400, naming it). */
  readonly query?: Readonly<Record<Q, ParameterDoc>>;
  /** The request body: an input schema of the application, documented as the component `name`. */
  readonly body?: RouteBody;
  /** Instead of `body`: a file taken as a stream. */
  readonly file?: StreamedBody;
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

export interface ReadRoute<D, Q extends string = string> extends RouteDoc<Q> {
  readonly kind: 'read';
  readonly handle: (deps: D, req: ReadRequest<Q>) => Promise<Reply>;
}

export interface WriteRoute<D, Q extends string = string> extends RouteDoc<Q> {
  readonly kind: 'write';
  readonly ifMatch: IfMatchPolicy;
  readonly handle: (deps: D, req: WriteRequest<Q>) => Promise<Reply>;
}

export type Route<D> = ReadRoute<D, string> | WriteRoute<D, string>;

/** A route that reads neither If-Match nor the command headers (Idempotency-Key): a read, a lookup, a run that records no actor. */
export const read = <D, Q extends string = never>(route: Omit<ReadRoute<D, Q>, 'kind'>): Route<D> => ({ ...route, kind: 'read' }) as Route<D>;

/** A command: its context (actor, idempotency key) is read, and If-Match per its policy. */
export const write = <D, Q extends string = never>(route: Omit<WriteRoute<D, Q>, 'kind'>): Route<D> => ({ ...route, kind: 'write' }) as Route<D>;
