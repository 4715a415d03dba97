import { billingEventsV1 as ev } from '@pcn/contracts';
import { fields, schema, topicReader, type ReadEvent } from './topic-reader';
import { UnreadableBillingMessageError } from './unreadable-errors';

/** The billing topic, keyed by statement (`<finess>-<period>`): one statement's events stay in order. */
export const BILLING_TOPIC = 'pcn.billing.v1';

const billingSchemas = {
  StatementIssued: schema(
    ev.StatementIssued,
    (e) =>
      fields().text('centre_finess', e.centreFiness).text('period', e.period).date('issued_on', e.issuedOn).text('schedule_version', e.scheduleVersion)
        .problems,
  ),
  PaymentReceived: schema(
    ev.PaymentReceived,
    (e) => fields().text('centre_finess', e.centreFiness).text('period', e.period).text('payer_reference', e.payerReference).date('paid_on', e.paidOn).problems,
  ),
  StatementReconciled: schema(ev.StatementReconciled, (e) => fields().text('centre_finess', e.centreFiness).text('period', e.period).problems),
  DiscrepancyRecorded: schema(
    ev.DiscrepancyRecorded,
    (e) => fields().text('centre_finess', e.centreFiness).text('period', e.period).text('discrepancy_id', e.discrepancyId).problems,
  ),
  DiscrepancyResolved: schema(
    ev.DiscrepancyResolved,
    (e) =>
      fields().text('centre_finess', e.centreFiness).text('period', e.period).text('discrepancy_id', e.discrepancyId).text('resolution', e.resolution).problems,
  ),
};

export type BillingEvent = ReadEvent<typeof billingSchemas>;

export const billingReader = topicReader(BILLING_TOPIC, (message, why) => new UnreadableBillingMessageError(message, why), billingSchemas);
