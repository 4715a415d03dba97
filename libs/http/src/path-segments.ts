import type { RequestHandler } from 'express';
import { ValidationError } from '@pcn/eventsourcing';
import { echo, textDefect } from '@pcn/validation';

/**
 * Refuses, before any route, a path whose segments do not decode (`%ZZ`, a percent-encoded byte
 * sequence that is not UTF-8) or decode to text the stores cannot keep (`%00`): the routers
 * would otherwise fail decoding their parameters, or pass a NUL on to a store, as an internal error.
 */
export function pathSegmentsGuard(): RequestHandler {
  return (req, _res, next) => {
    const segments = req.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const raw = segments[i]!;
      if (!raw.includes('%')) continue;
      let decoded: string;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        return next(ValidationError.field('(path)', `path segment ${i} (${echo(raw)}) is not valid percent-encoding of UTF-8 text (RFC 3986)`));
      }
      const defect = textDefect(decoded);
      if (defect) return next(ValidationError.field('(path)', `path segment ${i} (${echo(raw)}): ${defect}`));
    }
    next();
  };
}
