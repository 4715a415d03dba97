import { z } from 'zod';
import { isoDate, pageSize, pageToken, str, text, uuid } from '@pcn/validation';
import { FTE_SCALE } from '../domain/statute/fte';
import { GRID_KINDS } from '../domain/statute/pay-grid';
import { PROFESSIONS, SPECIALTIES } from '../domain/professional/profession';
import { EXIT_REASONS } from '../domain/professional/professional-events';
import { MOBILITY_DECISIONS, MOBILITY_KINDS, OPINIONS, OPINION_SIDES } from '../domain/mobility/mobility-events';
import { VACANCY_STATUSES } from '../domain/vacancy/vacancy-state';

/**
 * Input shapes of the staff service, shared by REST and gRPC (which maps its messages to them)
 * and turned into JSON Schema for the OpenAPI document. Every bound here is a documented limit.
 */

/**
 * FTE as the contract writes it: a decimal in (0, 1] with at most four decimals, as a string
 * ("0.8") or a number. Carried on as ten-thousandths so no rounding ever happens.
 */
export const fteInput = z
  .union([str(10).regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, 'must be a decimal in (0, 1] with at most four decimals, e.g. "0.8"'), z.number()])
  .transform((v, ctx) => {
    const scaled = Number(v) * FTE_SCALE;
    const rounded = Math.round(scaled);
    if (!(Number(v) > 0 && Number(v) <= 1) || Math.abs(rounded - scaled) > 1e-6) {
      ctx.addIssue({ code: 'custom', message: `must be greater than 0 and at most 1, with at most four decimals, got ${String(v)}` });
      return z.NEVER;
    }
    return rounded;
  });

const months = z.number().int('must be a whole number').min(0).max(600);

export const hireProfessionalInput = z.strictObject({
  lastName: text(100),
  firstName: text(100),
  rpps: str(20).optional(),
  profession: z.enum(PROFESSIONS),
  specialty: z.enum(SPECIALTIES).optional(),
  grade: text(40),
  echelon: z.number().int('must be a whole number').min(1).max(30),
  retainedSeniorityMonths: months.default(0),
  hiredOn: isoDate,
});

export const assignToCentreInput = z.strictObject({
  centreFiness: str(20),
  fte: fteInput,
  startOn: isoDate,
  endOn: isoDate.optional(),
});

export const endAssignmentInput = z.strictObject({ assignmentId: text(120), endOn: isoDate });

export const promoteInput = z.strictObject({ toGrade: text(40), effectiveOn: isoDate });

export const recordExitInput = z.strictObject({ exitOn: isoDate, reason: z.enum(EXIT_REASONS) });

export const postVacancyInput = z.strictObject({
  centreFiness: str(20),
  profession: z.enum(PROFESSIONS),
  fte: fteInput,
  startOn: isoDate,
});

export const cancelVacancyInput = z.strictObject({ reason: text(500), cancelledOn: isoDate });

export const listVacanciesInput = z.strictObject({
  departement: str(3)
    .regex(/^(\d{2}|2A|2B|\d{3})$/, 'must be a département code such as 75, 2A or 974')
    .optional(),
  region: str(2)
    .regex(/^\d{2}$/, 'must be a 2-digit region code')
    .optional(),
  profession: z.enum(PROFESSIONS).optional(),
  status: z.enum(VACANCY_STATUSES).optional(),
  pageSize: pageSize(50, 500),
  pageToken: pageToken.optional(),
});

export const requestMobilityInput = z.strictObject({
  professionalId: uuid('a professional id'),
  vacancyId: uuid('a vacancy id'),
  kind: z.enum(MOBILITY_KINDS),
  originAssignmentId: text(120),
  /** FTE of the origin post when it differs from the vacancy's (restored after a temporary assignment). */
  originFte: fteInput.optional(),
  requestedOn: isoDate.optional(),
  endOn: isoDate.optional(),
});

export const giveOpinionInput = z.strictObject({
  side: z.enum(OPINION_SIDES),
  opinion: z.enum(OPINIONS),
  comment: text(2000).optional(),
});

export const decideMobilityInput = z.strictObject({
  decision: z.enum(MOBILITY_DECISIONS),
  effectiveOn: isoDate.optional(),
  reason: text(2000).optional(),
});

export const withdrawMobilityInput = z.strictObject({ on: isoDate.optional() });

export const teamInput = z.strictObject({
  on: isoDate.optional(),
  pageSize: pageSize(100, 1000),
  pageToken: pageToken.optional(),
});

export const onDateInput = z.strictObject({ on: isoDate.optional() });

export const gridKindInput = z.strictObject({ kind: z.enum(GRID_KINDS) });

const sourceInput = z.strictObject({
  title: text(500),
  reference: text(300),
  date: isoDate.optional(),
  url: str(2000).pipe(z.url('must be an address (URL)')),
  covers: text(300).optional(),
});

const echelonInput = z.strictObject({
  echelon: z.number().int().min(1),
  annualGrossCents: z.number().int().min(1).optional(),
  indiceMajore: z.number().int().min(1).optional(),
  indiceBrut: z.number().int().min(1).optional(),
  durationMonths: z.number().int().min(1).optional(),
});

/** Shape only: the publication rules (contiguous échelons, pay rising, ...) are the domain's. */
export const publishPayGridInput = z.strictObject({
  id: str(100).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and hyphens, e.g. fph-2025-01-01'),
  kind: z.enum(GRID_KINDS),
  effectiveFrom: isoDate,
  sources: z.array(sourceInput).min(1, 'at least one source: the text that sets the grid'),
  carriedForwardFrom: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'the id of a published version, e.g. fph-2024-01-01')
    .optional(),
  grades: z.record(
    str(40).regex(/^[a-z][a-z0-9_]*$/, 'grade codes are lower-case snake case'),
    z.strictObject({
      label: text(200),
      echelons: z.array(echelonInput).min(1).max(30),
      sources: z.array(sourceInput).optional(),
      notes: text(2000).optional(),
    }),
  ),
});

export const publishIndexPointInput = z.strictObject({
  effectiveFrom: isoDate,
  annualCentsPer100Points: z.number().int().min(1),
  source: sourceInput,
});
