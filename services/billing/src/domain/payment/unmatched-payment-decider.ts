import { PreconditionFailedError, type Decider, type DomainEvent } from '@pcn/eventsourcing';
import type { Cents } from '../schedule/money';

/** A payment that names no issued statement: an exception billing staff must chase. */
export const unmatchedPaymentStreamId = (payerReference: string): string => `unmatched-payment-${payerReference}`;

export interface UnmatchedPayment {
  readonly remittanceId: string;
  readonly payerReference: string;
  readonly finess: string;
  readonly period: string;
  readonly amountCents: Cents;
  readonly paidOn: string;
  readonly reason: string;
}

export type UnmatchedPaymentCommand = { readonly type: 'RecordUnmatchedPayment' } & UnmatchedPayment;
export type UnmatchedPaymentEvent = DomainEvent<'PaymentUnmatched', UnmatchedPayment>;
export type UnmatchedPaymentState = { readonly recorded: false } | ({ readonly recorded: true } & UnmatchedPayment);

export const unmatchedPaymentDecider: Decider<UnmatchedPaymentCommand, UnmatchedPaymentState, UnmatchedPaymentEvent> = {
  initialState: () => ({ recorded: false }),
  decide({ type: _type, ...payment }, state) {
    if (!state.recorded) return [{ type: 'PaymentUnmatched', data: payment }];
    // The same remittance line imported again: already recorded.
    if (state.amountCents === payment.amountCents && state.paidOn === payment.paidOn && state.finess === payment.finess && state.period === payment.period)
      return [];
    throw new PreconditionFailedError(`payer reference ${payment.payerReference} was already imported with another content`, [
      {
        type: 'REMITTANCE',
        subject: 'payerReference',
        description: `already recorded for ${state.finess} ${state.period}: ${state.amountCents} cents paid on ${state.paidOn}`,
      },
    ]);
  },
  evolve: (_state, event) => ({ recorded: true, ...event.data }),
};
