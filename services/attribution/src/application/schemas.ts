import { z } from 'zod';
import { isoDate, pageSize, pageToken, text, uuid } from '@pcn/validation';
import { CommuneDirectory, validateFiness, validateInseeCode, validateNir, validateRpps, type Validation } from '@pcn/referential';
import { SEXES } from '../domain/patient/patient-profile';
import { CALLER_CHANNELS, CALLER_END_REASONS } from '../domain/patient/patient-events';
import { MAX_CAPACITY } from '../domain/panel/panel-decisions';

/**
 * Input shapes of the attribution service, shared by REST and gRPC (which maps its messages to
 * them). Every bound here is a documented limit.
 */

/** A referential check as a zod field: the normalised value, or the check's own sentence. */
const checked = <T>(check: (raw: unknown) => Validation<T>, normalised: (value: T) => string = String) =>
  z.unknown().transform((raw, ctx) => {
    if (raw === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is required' });
      return z.NEVER;
    }
    const result = check(raw);
    if (result.ok) return normalised(result.value);
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  });

export const nirField = checked(validateNir, (parts) => parts.nir);
export const rppsField = checked(validateRpps);
export const finessField = checked(validateFiness);

/** A commune of the Code officiel géographique the reference data knows (arrondissements included). */
export const communeField = checked(validateInseeCode).refine(
  (code) => CommuneDirectory.shared().has(code),
  'is not a commune of the reference list (INSEE code, 2021 census)',
);

const MAX_PERIODS = 50;

/** Start included, end (the first day outside) excluded; an open period has no end. */
export const periodInput = z
  .strictObject({ start: isoDate, end: isoDate.optional() })
  .refine((p) => p.end === undefined || p.start < p.end, { message: 'must end after it starts (end is the first day no longer covered)', path: ['end'] });

/** Periods sorted by start, none overlapping the next. */
export const periodsInput = z
  .array(periodInput)
  .max(MAX_PERIODS, `must hold at most ${MAX_PERIODS} periods`)
  .transform((periods) => [...periods].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)))
  .superRefine((periods, ctx) => {
    for (let i = 1; i < periods.length; i++) {
      const previous = periods[i - 1]!;
      if (previous.end === undefined || previous.end > periods[i]!.start) {
        ctx.addIssue({ code: 'custom', path: [i], message: `overlaps the period starting ${previous.start}: periods must not overlap` });
      }
    }
  });

export const birthDateField = isoDate.refine((d) => d >= '1890-01-01', 'must be on or after 1890-01-01');

export const registerPatientInput = z.strictObject({
  nir: nirField,
  birthDate: birthDateField,
  sex: z.enum(SEXES),
  communeInsee: communeField,
  ald: periodsInput.default([]),
  c2s: periodsInput.default([]),
});

export const updatePatientInput = z.strictObject({
  birthDate: birthDateField.optional(),
  sex: z.enum(SEXES).optional(),
  communeInsee: communeField.optional(),
  ald: periodsInput.optional(),
  c2s: periodsInput.optional(),
});

export const declareInput = z.strictObject({
  rpps: rppsField,
  centreFiness: finessField,
  effectiveDate: isoDate,
  channel: z.enum(CALLER_CHANNELS),
});

export const endAttributionInput = z.strictObject({
  endDate: isoDate,
  reason: z.enum(CALLER_END_REASONS),
});

/** A centre enrols patients it cannot take; without a centre, a coordinator does. */
export const enrolInput = z.strictObject({ centreFiness: finessField.optional() });

export const TERRITORY_KINDS = ['commune', 'departement', 'region'] as const;
export const territoryInput = z.strictObject({ kind: z.enum(TERRITORY_KINDS), code: text(5) });

export const MAX_MATCH_BATCH = 1000;
export const MAX_DISTANCE_KM = 200;
export const matchInput = z.strictObject({
  territory: territoryInput,
  maxDistanceKm: z.number().positive('must be greater than 0').max(MAX_DISTANCE_KM).optional(),
  limit: pageSize(100, MAX_MATCH_BATCH),
});

export const proposalIdField = uuid('a proposal id');
export const declineInput = z.strictObject({ proposalId: proposalIdField, reason: text(500) });
export const confirmInput = z.strictObject({ proposalId: proposalIdField });

export const MAX_PAGE = 1000;
export const panelQuery = z.strictObject({ rpps: rppsField, pageSize: pageSize(100, MAX_PAGE), pageToken: pageToken.optional() });
export const setCapacityInput = z.strictObject({
  rpps: rppsField,
  capacity: z.number().int('must be a whole number').min(0).max(MAX_CAPACITY).nullable(),
  reason: text(500),
});
export const rosterQuery = z.strictObject({
  centreFiness: finessField,
  asOf: isoDate.optional(),
  pageSize: pageSize(500, MAX_PAGE),
  pageToken: pageToken.optional(),
});
export const coverageQuery = z.strictObject({ territory: territoryInput, asOf: isoDate.optional() });
