import { z } from 'zod';
import { addressInput, commitmentsInput, geoPointInput, governanceInput, healthProjectInput, managerInput } from '../../application/schemas';
import { CENTRE_SERVICES, CENTRE_STATUSES, CENTRE_TYPES } from '../../domain/centre';

/** A part of a view that has an input schema of the same shape. */
const schema = (s: z.ZodType): object => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const centre = {
  type: 'object',
  properties: {
    finess: { type: 'string' },
    name: { type: 'string' },
    manager: schema(managerInput),
    type: { enum: CENTRE_TYPES },
    communeInsee: { type: 'string' },
    communeName: { type: 'string' },
    departement: { type: 'string' },
    region: { type: 'string' },
    address: schema(addressInput),
    coordinates: schema(geoPointInput),
    commitments: schema(commitmentsInput),
    governance: schema(governanceInput),
    healthProject: schema(healthProjectInput),
    services: { type: 'array', items: { enum: CENTRE_SERVICES } },
    secpaParticipation: { type: 'boolean' },
    status: { enum: CENTRE_STATUSES },
    accreditedOn: { type: 'string', format: 'date' },
    suspensionReason: { type: 'string' },
    closure: { type: 'object', properties: { effectiveDate: { type: 'string', format: 'date' }, reason: { type: 'string' } } },
    version: { type: 'integer', description: 'Stream revision; the ETag' },
    registeredAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

/** The registry's views, as the responses refer to them. */
export const registrySchemas = {
  Centre: centre,
  CentrePage: {
    type: 'object',
    properties: { centres: { type: 'array', items: ref('Centre') }, nextPageToken: { type: 'string' }, totalSize: { type: 'integer' } },
  },
  CentreHistory: {
    type: 'object',
    properties: {
      entries: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            version: { type: 'integer' },
            type: { type: 'string' },
            occurredAt: { type: 'string', format: 'date-time' },
            recordedAt: { type: 'string', format: 'date-time' },
            actor: { type: 'string' },
            data: { type: 'object' },
          },
        },
      },
    },
  },
};
