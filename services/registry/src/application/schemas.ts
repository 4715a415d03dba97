import { z } from 'zod';
import { isoDate, pageSize, pageToken, str, text } from '@pcn/validation';
import { CENTRE_SERVICES, CENTRE_STATUSES, CENTRE_TYPES, HEALTH_PROJECT_AXES, MANAGER_KINDS } from '../domain/centre';

/**
 * Input shapes of the registry, shared by REST and gRPC (which maps its messages to them) and
 * turned into JSON Schema for the OpenAPI document. Every bound here is a documented limit.
 */

const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must have at most ${max} items`)
    .refine((xs) => new Set(xs).size === xs.length, 'must not repeat an item');

export const managerInput = z.strictObject({
  kind: z.enum(MANAGER_KINDS),
  name: text(200),
  siren: z
    .string()
    .max(9, { error: 'must be 9 digits', abort: true })
    .regex(/^\d{9}$/, 'must be 9 digits')
    .optional(),
});

export const addressInput = z.strictObject({
  line1: text(200),
  line2: text(200).optional(),
  postalCode: str(5).regex(/^\d{5}$/, 'must be 5 digits'),
  city: text(100),
});

export const geoPointInput = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

export const commitmentsInput = z.strictObject({
  sector1FeesOnly: z.boolean(),
  fullThirdPartyPayment: z.boolean(),
  salariedStaff: z.boolean(),
});

const seats = z.number().int('must be a whole number').min(0).max(100);
export const governanceInput = z.strictObject({
  electedOfficialsSeats: seats,
  usersSeats: seats,
  staffSeats: seats,
});

export const healthProjectInput = z.strictObject({
  adoptedOn: isoDate,
  axes: uniqueList(z.enum(HEALTH_PROJECT_AXES), HEALTH_PROJECT_AXES.length),
});

const inseeCode = str(5).regex(/^(\d{5}|2[AB]\d{3})$/, 'must be an INSEE commune code (5 characters, 2A/2B for Corsica)');

const detailsShape = {
  name: text(200),
  manager: managerInput,
  type: z.enum(CENTRE_TYPES),
  communeInsee: inseeCode,
  address: addressInput,
  /** Defaults to the commune's centroid. */
  coordinates: geoPointInput.optional(),
  commitments: commitmentsInput,
  governance: governanceInput,
  healthProject: healthProjectInput.optional(),
  services: uniqueList(z.enum(CENTRE_SERVICES), CENTRE_SERVICES.length),
  secpaParticipation: z.boolean().default(false),
};

export const registerCentreInput = z.strictObject({
  finess: str(20),
  ...detailsShape,
});

export const amendCentreInput = z
  .strictObject({
    name: detailsShape.name.optional(),
    manager: managerInput.optional(),
    type: detailsShape.type.optional(),
    communeInsee: inseeCode.optional(),
    address: addressInput.optional(),
    coordinates: geoPointInput.optional(),
    commitments: commitmentsInput.optional(),
    governance: governanceInput.optional(),
    healthProject: healthProjectInput.optional(),
    services: detailsShape.services.optional(),
    secpaParticipation: z.boolean().optional(),
  })
  .refine((o) => Object.values(o).some((v) => v !== undefined), 'an amendment must change at least one field');
export type AmendCentreInput = z.output<typeof amendCentreInput>;

export const accreditCentreInput = z.strictObject({ accreditedOn: isoDate });
export const suspendCentreInput = z.strictObject({ reason: text(500) });
export const reinstateCentreInput = z.strictObject({});
export const closeCentreInput = z.strictObject({ effectiveDate: isoDate, reason: text(500) });

export const listCentresInput = z.strictObject({
  departement: str(3)
    .regex(/^(\d{2,3}|2[AB])$/, 'must be a département code')
    .optional(),
  region: str(2)
    .regex(/^\d{2}$/, 'must be a région code (2 digits)')
    .optional(),
  status: z.enum(CENTRE_STATUSES).optional(),
  type: z.enum(CENTRE_TYPES).optional(),
  pageSize: pageSize(50, 500),
  pageToken: pageToken.optional(),
});

/** `asOf`: an instant of the event log; `on`: a business day. See CentreRegistry.get. */
export const getCentreInput = z.strictObject({
  asOf: str(40)
    .pipe(z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' }))
    .optional(),
  on: isoDate.optional(),
});
