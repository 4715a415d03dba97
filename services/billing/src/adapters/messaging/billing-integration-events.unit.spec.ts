import type { RecordedEvent } from '@pcn/eventsourcing';
import { BILLING_TOPIC, billingReader, type ReceivedMessage } from '@pcn/messaging';
import { billingEventMapper } from './billing-integration-events';

const recorded = (streamId: string, type: string, data: unknown): RecordedEvent => ({
  id: `evt-${type}`,
  type,
  schemaVersion: 1,
  data,
  metadata: { occurredAt: '2026-04-02T09:00:00.000Z', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  streamId,
  revision: 3,
  position: 42,
  recordedAt: '2026-04-02T09:00:00.001Z',
});

async function published(event: RecordedEvent): Promise<ReceivedMessage | undefined> {
  const out = await billingEventMapper()(event);
  return out && { ...out.message, topic: out.topic, partition: 0, offset: '0', attempt: 1 };
}

describe('the pcn.billing.v1 mapper', () => {
  it('publishes an issued statement keyed by statement, with its totals, readable by the topic reader', async () => {
    const message = await published(
      recorded('statement-2A0000017-2026-03', 'StatementIssued', {
        issuedOn: '2026-04-02',
        issuedBy: 'billing@national',
        totalCents: 10_480,
        scheduleVersion: 'fmt-2026.1',
        logPosition: '17',
      }),
    );
    expect(message).toMatchObject({ topic: BILLING_TOPIC, key: '2A0000017-2026-03', type: 'pcn.events.v1.StatementIssued', id: 'evt-StatementIssued' });
    expect(message!.headers).toEqual({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(billingReader.read(message!)).toEqual({
      type: 'StatementIssued',
      event: {
        centreFiness: '2A0000017',
        period: '2026-03',
        issuedOn: '2026-04-02',
        totalCents: 10_480,
        scheduleVersion: 'fmt-2026.1',
        logPosition: '17',
        occurredAt: new Date('2026-04-02T09:00:00.000Z'),
      },
    });
  });

  it('publishes payments, reconciliations and discrepancies', async () => {
    const statement = 'statement-930000013-2026-03';
    const types = [
      recorded(statement, 'PaymentReceived', {
        remittanceId: 'r',
        payerReference: 'P',
        amountCents: 1,
        paidOn: '2026-04-20',
        totalPaidCents: 1,
        expectedCents: 2,
      }),
      recorded(statement, 'StatementReconciled', { expectedCents: 2, paidCents: 2 }),
      recorded(statement, 'DiscrepancyRecorded', { discrepancyId: 'd-1', expectedCents: 2, paidCents: 1, deltaCents: -1 }),
      recorded(statement, 'DiscrepancyResolved', { discrepancyId: 'd-1', resolution: 'write_off', reason: 'small', resolvedBy: 'x' }),
    ];
    const read = await Promise.all(types.map(async (e) => billingReader.read((await published(e))!)?.type));
    expect(read).toEqual(['PaymentReceived', 'StatementReconciled', 'DiscrepancyRecorded', 'DiscrepancyResolved']);
  });

  it('keeps a statement in progress, and every other stream, inside billing', async () => {
    await expect(published(recorded('statement-930000013-2026-03', 'StatementComputed', {}))).resolves.toBeUndefined();
    await expect(published(recorded('statement-930000013-2026-03', 'MissionActivityDeclared', {}))).resolves.toBeUndefined();
    await expect(published(recorded('billing-patient-p-1', 'PatientAttributed', {}))).resolves.toBeUndefined();
  });
});
