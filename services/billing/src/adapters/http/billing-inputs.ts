import { z } from 'zod';
import { MISSION_LINE_CODES, RESOLUTIONS } from '../../domain';

// Shapes only: the values (dates, codes, amounts, consistency) are checked by the domain, which
// names each field.
const cents = z.number().int();

export const rateScheduleInput = z.strictObject({
  version: z.string(),
  effectiveFrom: z.string(),
  ageBands: z.array(z.strictObject({ code: z.string(), fromAge: z.number().int(), withoutAld: cents, withAld: cents })),
  supplements: z.strictObject({ c2s: cents, prevention: z.record(z.string(), cents) }),
  territorial: z.strictObject({
    underservedWeight: z.number().int(),
    underservedCommunes: z.array(z.string()),
    povertyClasses: z.array(z.strictObject({ code: z.string(), fromUnemploymentBasisPoints: z.number().int(), weight: z.number().int() })),
  }),
  missionRates: z.record(z.enum(MISSION_LINE_CODES), cents),
});

export const missionActivityInput = z.strictObject({ line: z.enum(MISSION_LINE_CODES), units: z.number().int() });

export const runPeriodInput = z.strictObject({ finess: z.string().optional() });

export const issueStatementInput = z.strictObject({ issuedOn: z.string() });

export const resolveDiscrepancyInput = z.strictObject({ resolution: z.enum(RESOLUTIONS), reason: z.string() });

export const remittanceInput = z.strictObject({
  remittanceId: z.string().min(1),
  lines: z.array(z.strictObject({ payerReference: z.string(), finess: z.string(), period: z.string(), amountCents: cents, paidOn: z.string() })).max(100_000),
});
