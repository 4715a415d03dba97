import type { ErrorRequestHandler } from 'express';
import { isDomainError, PreconditionFailedError, ProjectionTimeoutError, type DomainError } from '@pcn/eventsourcing';
import { HttpError } from './http-errors';
import { echo } from '@pcn/validation';

// A detail may repeat what the caller sent (an id in a "not found"): bounded, as are the violations.
const MAX_DETAIL = 1000;
const MAX_VIOLATIONS = 50;
const boundViolations = (violations: unknown): unknown =>
  Array.isArray(violations)
    ? violations
        .slice(0, MAX_VIOLATIONS)
        .map((v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? echo(x, 500) : x])))
    : violations;

/** RFC 9457 problem details, with `errors` (field violations) or `violations` as extensions. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

export interface ProblemLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const TYPE = (slug: string): string => `urn:pcn:problem:${slug}`;

/**
 * Seconds a caller should wait before retrying a read refused because a read model lags (sent
 * as `Retry-After` and `retryAfterSeconds`): a projection catches up within a second or two.
 */
export const READ_MODEL_RETRY_AFTER_SECONDS = 1;

const DOMAIN_STATUS: Record<DomainError['kind'], { status: number; title: string }> = {
  invalid_argument: { status: 400, title: 'Invalid request' },
  not_found: { status: 404, title: 'Not found' },
  already_exists: { status: 409, title: 'Already exists' },
  failed_precondition: { status: 409, title: 'Not allowed in the current state' },
  concurrency_conflict: { status: 412, title: 'Version mismatch' },
  permission_denied: { status: 403, title: 'Permission denied' },
  unauthenticated: { status: 401, title: 'Unauthenticated' },
};

export function toProblem(error: unknown): Problem {
  if (error instanceof ProjectionTimeoutError) {
    // Nothing is wrong with the request: the same one succeeds once the read model has caught up.
    return {
      type: TYPE('read-model-behind'),
      title: 'Read model behind, retry shortly',
      status: 503,
      detail: error.message,
      retryAfterSeconds: READ_MODEL_RETRY_AFTER_SECONDS,
    };
  }
  if (isDomainError(error)) {
    const { status, title } = DOMAIN_STATUS[error.kind];
    const base = { type: TYPE(error.kind.replace(/_/g, '-')), title, status, detail: echo(error.message, MAX_DETAIL) };
    if (error.kind === 'invalid_argument') return { ...base, errors: boundViolations((error as unknown as { violations: unknown }).violations) };
    // The figures of a refusal (e.g. `count`, `capacity`) as extension members; the standard members win a clash.
    if (error instanceof PreconditionFailedError) return { ...error.info, ...base, violations: boundViolations(error.violations) };
    if (error.kind === 'failed_precondition') return { ...base, violations: boundViolations((error as unknown as { violations: unknown }).violations) };
    return base;
  }
  if (error instanceof HttpError) {
    return { type: TYPE(error.title.toLowerCase().replace(/\s+/g, '-')), title: error.title, status: error.status, detail: echo(error.message, MAX_DETAIL) };
  }
  const bodyError = error as { type?: string; status?: number; expose?: boolean; message?: string };
  if (bodyError?.type === 'entity.parse.failed') {
    return { type: TYPE('malformed-body'), title: 'Malformed body', status: 400, detail: `the body is not valid JSON: ${bodyError.message}` };
  }
  if (bodyError?.type === 'entity.too.large') {
    return { type: TYPE('body-too-large'), title: 'Body too large', status: 413, detail: 'the body exceeds the size limit' };
  }
  if (error instanceof URIError) {
    // The router failed to decode a parameter; the path guard refuses such paths first.
    return {
      type: TYPE('malformed-path'),
      title: 'Malformed path',
      status: 400,
      detail: 'a path segment is not valid percent-encoding of UTF-8 text (RFC 3986)',
    };
  }
  if (bodyError?.expose && typeof bodyError.status === 'number' && bodyError.status < 500) {
    return { type: TYPE('bad-request'), title: 'Bad request', status: bodyError.status, detail: String(bodyError.message) };
  }
  return { type: TYPE('internal'), title: 'Internal error', status: 500, detail: 'the server failed to handle the request; it has been logged' };
}

/** Last middleware: every error becomes problem+json; unexpected ones are logged in full. */
export function problemHandler(logger: ProblemLogger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem: Problem = { ...toProblem(error), instance: req.originalUrl };
    if (problem.status >= 500) logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    else logger.warn({ status: problem.status, method: req.method, url: req.originalUrl, detail: problem.detail }, 'request refused');
    if (typeof problem.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(problem.retryAfterSeconds));
    res.status(problem.status).type('application/problem+json').json(problem);
  };
}
