import { deciderSpec } from '@pcn/eventsourcing/testing';
import { unmatchedPaymentDecider, unmatchedPaymentStreamId, type UnmatchedPayment } from './unmatched-payment-decider';

const spec = deciderSpec(unmatchedPaymentDecider);
const payment: UnmatchedPayment = {
  remittanceId: 'r-1',
  payerReference: 'VIR-9',
  finess: '930000013',
  period: '2025-11',
  amountCents: 1_000,
  paidOn: '2026-04-20',
  reason: 'no issued statement for 930000013 in 2025-11',
};

describe('a payment that matches no statement', () => {
  it('is recorded as an exception on unmatched-payment-{payerReference}', () => {
    expect(unmatchedPaymentStreamId('VIR-9')).toBe('unmatched-payment-VIR-9');
    spec
      .given([])
      .when({ type: 'RecordUnmatchedPayment', ...payment })
      .then([{ type: 'PaymentUnmatched', data: payment }]);
  });
  it('imported again, records nothing', () =>
    spec
      .given([{ type: 'PaymentUnmatched', data: payment }])
      .when({ type: 'RecordUnmatchedPayment', ...payment, remittanceId: 'r-2' })
      .then([]));
  it('with another content under the same reference, is refused', () =>
    spec
      .given([{ type: 'PaymentUnmatched', data: payment }])
      .when({ type: 'RecordUnmatchedPayment', ...payment, amountCents: 999 })
      .thenThrows({ kind: 'failed_precondition' }));
});
