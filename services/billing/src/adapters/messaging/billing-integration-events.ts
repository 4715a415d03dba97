import { billingEventsV1 as ev } from '@pcn/contracts';
import { BILLING_TOPIC, eventMessage, type EventMapper, type OutgoingMessage } from '@pcn/messaging';
import type { StatementEvent } from '../../domain';
import { STATEMENT_PREFIX } from '../../application/stream-prefixes';

export const BILLING_SOURCE = '/pcn/billing';

const STATEMENT_STREAM = /^statement-(.+)-(\d{4}-\d{2})$/;

type Payload = { readonly type: string; readonly data: Uint8Array };

function payloadOf(event: StatementEvent, finess: string, period: string, occurredAt: Date): Payload | undefined {
  const statement = { centreFiness: finess, period };
  switch (event.type) {
    case 'StatementIssued':
      return {
        type: 'StatementIssued',
        data: ev.StatementIssued.encode({
          ...statement,
          issuedOn: event.data.issuedOn,
          totalCents: event.data.totalCents,
          scheduleVersion: event.data.scheduleVersion,
          logPosition: event.data.logPosition,
          occurredAt,
        }).finish(),
      };
    case 'PaymentReceived':
      return {
        type: 'PaymentReceived',
        data: ev.PaymentReceived.encode({
          ...statement,
          remittanceId: event.data.remittanceId,
          payerReference: event.data.payerReference,
          amountCents: event.data.amountCents,
          paidOn: event.data.paidOn,
          totalPaidCents: event.data.totalPaidCents,
          expectedCents: event.data.expectedCents,
          occurredAt,
        }).finish(),
      };
    case 'StatementReconciled':
      return {
        type: 'StatementReconciled',
        data: ev.StatementReconciled.encode({ ...statement, expectedCents: event.data.expectedCents, paidCents: event.data.paidCents, occurredAt }).finish(),
      };
    case 'DiscrepancyRecorded':
      return { type: 'DiscrepancyRecorded', data: ev.DiscrepancyRecorded.encode({ ...statement, ...event.data, occurredAt }).finish() };
    case 'DiscrepancyResolved':
      return {
        type: 'DiscrepancyResolved',
        data: ev.DiscrepancyResolved.encode({
          ...statement,
          discrepancyId: event.data.discrepancyId,
          resolution: event.data.resolution,
          reason: event.data.reason,
          occurredAt,
        }).finish(),
      };
    // Work in progress of a statement (opened, declared, computed) stays inside billing: what
    // leaves is what the payer is asked for and what it paid.
    default:
      return undefined;
  }
}

/**
 * What `pcn.billing.v1` carries: issued statements (totals only, no patient line), payments
 * received, reconciliations and discrepancies, keyed by statement (`<finess>-<period>`).
 * Envelope: `eventMessage` (id = event id, `ce_type` = the protobuf message, trace context).
 */
export function billingEventMapper(): EventMapper {
  return async (recorded): Promise<OutgoingMessage | undefined> => {
    const match = recorded.streamId.startsWith(STATEMENT_PREFIX) ? STATEMENT_STREAM.exec(recorded.streamId) : null;
    if (!match) return undefined;
    const [, finess, period] = match as unknown as [string, string, string];
    const payload = payloadOf({ type: recorded.type, data: recorded.data } as StatementEvent, finess, period, new Date(recorded.metadata.occurredAt));
    return (
      payload && eventMessage(recorded, { topic: BILLING_TOPIC, source: BILLING_SOURCE, message: payload.type, key: `${finess}-${period}`, data: payload.data })
    );
  };
}
