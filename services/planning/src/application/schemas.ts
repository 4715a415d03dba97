import { z } from 'zod';
import { str, text } from '@pcn/validation';
import { COLLEGES, SCHEME_LEVELS, STAGES, VOTES } from '../domain/scheme';
import { TERRITORY_LEVELS } from '../domain/territory';

/**
 * Input shapes shared by REST and gRPC: what a field must look like, each violation named on its
 * field (ADR 0006). Business rules (zones in order, a majority per college...) stay in the domain.
 */
const fte = z.number().positive('must be above 0').max(1000, 'must be at most 1000');
const communeCode = str(5).regex(/^(\d{5}|2[AB]\d{3})$/u, 'must be an INSEE commune code');

export const territorySchema = z.strictObject({ level: z.enum(TERRITORY_LEVELS), code: str(20) });

export const computeAccessibilitySchema = z.strictObject({
  parameters: z
    .strictObject({
      speedKmh: z.number().optional(),
      zones: z
        .array(z.strictObject({ upToMinutes: z.number(), weight: z.number() }))
        .max(12, 'must hold at most 12 zones')
        .optional(),
      underservedBelow: z.number().optional(),
      supplyScope: z.enum(['network', 'all']).optional(),
    })
    .optional(),
});

export const suggestSitesSchema = z.strictObject({
  territory: territorySchema,
  sites: z.number().int('must be a whole number').min(1).max(100),
  fte,
  exclude: z.array(communeCode).max(5000).optional(),
  force: z.array(communeCode).max(100).optional(),
});

export const draftSchemeSchema = z.strictObject({
  schemeId: str(64).regex(/^[a-z0-9][a-z0-9-]*$/u, 'must be lower-case letters, digits and dashes'),
  territory: z.strictObject({ level: z.enum(SCHEME_LEVELS), code: str(3) }),
  title: text(300),
});

const staffing = z
  .array(z.strictObject({ profession: str(60), fte }))
  .min(1, 'must name at least one profession')
  .max(30);
export const proposalSchema = z.discriminatedUnion('kind', [
  z.strictObject({ proposalId: str(64), kind: z.literal('open-centre'), communeCode, staffing }),
  z.strictObject({ proposalId: str(64), kind: z.literal('strengthen-centre'), centreFiness: str(9), staffing }),
]);

export const openStageSchema = z.strictObject({ stage: z.enum(STAGES) });

export const opinionSchema = z.strictObject({
  college: z.enum(COLLEGES),
  participant: str(200),
  vote: z.enum(VOTES),
  opinion: z.string().max(4000).default(''),
});
