import type { Request, Response } from 'express';
import { z } from 'zod';
import { ValidationError, type CommandContext } from '@pcn/eventsourcing';
import { commandContext, optionalIfMatch, setEtag } from '@pcn/http';
import { nirField } from '../../application/schemas';

/** Body of `POST /patients/lookup`: the NIR travels in a body, never in a URL (URLs end up in access logs). */
export const lookupInput = z.strictObject({ nir: nirField });

/** PATCH of a patient: If-Match is optional; with it, a stale version answers 412. */
export function updateOptions(req: Request): { expectedVersion?: number; context: CommandContext } {
  const expectedVersion = optionalIfMatch(req);
  return { ...(expectedVersion !== undefined && { expectedVersion }), context: commandContext(req) };
}

/**
 * Writes decided against the latest state of the patient's and the panels' streams (the
 * invariants hold there, whatever the caller last read). They take no If-Match: rather than
 * ignore a condition the caller set, it is refused.
 */
export function unconditionalContext(req: Request): CommandContext {
  if (req.get('If-Match'))
    throw ValidationError.field(
      'If-Match',
      'is not taken by this write: it is decided against the latest state of the patient and the panels; send it without If-Match',
    );
  return commandContext(req);
}

/** A single resource, with its version as the ETag. */
export function sendVersioned(res: Response, view: { readonly version: number }, status = 200): void {
  setEtag(res, view.version);
  res.status(status).json(view);
}

/** A resource just created: 201, where to read it, and its version. */
export function sendCreated(req: Request, res: Response, path: string, view: { readonly version: number }): void {
  res.setHeader('Location', `${req.baseUrl}${path}`);
  sendVersioned(res, view, 201);
}

/**
 * Runs a call of the application and, on a ValidationError, renames the fields it names after
 * what the caller sent: the application says `centreFiness` or `patient.patientId` where the
 * REST caller gave the path parameter `finess` or `patientId`.
 */
export async function renamingFields<T>(renames: Readonly<Record<string, string>>, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ValidationError) || !error.violations.some((v) => Object.hasOwn(renames, v.field))) throw error;
    throw new ValidationError(error.violations.map((v) => ({ ...v, field: Object.hasOwn(renames, v.field) ? renames[v.field]! : v.field })));
  }
}

/** How the application names a patient given by the path: `patient.patientId` (and `patient` when absent). */
export const PATIENT_PATH_FIELDS = { patient: 'patientId', 'patient.patientId': 'patientId' } as const;
