import type { Statement } from '../../domain';

/** OID of the FINESS register, the identifier system French FHIR profiles use for a facility. */
export const FINESS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.2';
/** The code system of billing's line kinds (capitation, adjustment, and each mission line). */
export const LINE_KIND_SYSTEM = 'urn:pcn:billing:line-kind';
export const STATEMENT_FHIR_TYPE = 'application/fhir+json; fhirVersion=4.0';
export const STATEMENT_ID_SYSTEM = 'urn:pcn:billing:statement';

// FHIR money is a decimal of euros; cents / 100 prints as the exact decimal in JSON.
const euros = (cents: number) => ({ value: cents / 100, currency: 'EUR' });

const lineItem = (sequence: number, code: string, display: string, cents: number) => ({
  sequence,
  chargeItemCodeableConcept: { coding: [{ system: LINE_KIND_SYSTEM, code, display }] },
  priceComponent: [{ type: 'base', amount: euros(cents) }],
});

/**
 * A computed statement as a FHIR R4 Bundle (type `collection`): the centre as an Organization
 * identified by its FINESS, and an Invoice from it to the payer with one line item for the
 * capitation (its patient lines are in the CSV), one per mission line and one for the
 * adjustments. Draft until issued.
 */
export function statementFhirBundle(statement: Statement): Record<string, unknown> {
  const c = statement.computation;
  if (c === undefined) throw new RangeError(`the statement of ${statement.finess} for ${statement.period} has not been computed`);
  const organizationId = `centre-${statement.finess}`;
  const lines = [
    { code: 'capitation', display: `Capitation, ${c.lines.length} patients`, cents: c.capitationCents },
    ...c.missionLines.map((m) => ({ code: m.line, display: `${m.units} × ${m.unitRateCents / 100} EUR`, cents: m.cents })),
    ...(c.adjustmentLines.length > 0
      ? [{ code: 'adjustment', display: `Adjustments of past periods, ${c.adjustmentLines.length} lines`, cents: c.adjustmentCents }]
      : []),
  ];
  const invoice = {
    resourceType: 'Invoice',
    id: `statement-${statement.finess}-${statement.period}`,
    identifier: [{ system: STATEMENT_ID_SYSTEM, value: `${statement.finess}-${statement.period}` }],
    status: statement.status === 'issued' ? 'issued' : 'draft',
    type: { text: `Capitation statement ${statement.period} (schedule ${c.scheduleVersion})` },
    issuer: { reference: `Organization/${organizationId}` },
    recipient: { display: 'Assurance Maladie' },
    ...(statement.issued && { date: statement.issued.issuedOn }),
    lineItem: lines.map((l, i) => lineItem(i + 1, l.code, l.display, l.cents)),
    totalNet: euros(c.totalCents),
    totalGross: euros(c.totalCents),
  };
  const organization = {
    resourceType: 'Organization',
    id: organizationId,
    identifier: [{ system: FINESS_SYSTEM, value: statement.finess }],
  };
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: `urn:pcn:organization:${statement.finess}`, resource: organization },
      { fullUrl: `urn:pcn:statement:${statement.finess}-${statement.period}`, resource: invoice },
    ],
  };
}
