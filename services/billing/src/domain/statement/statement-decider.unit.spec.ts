import { deciderSpec } from '@pcn/eventsourcing/testing';
import { NotFoundError } from '@pcn/eventsourcing';
import { DEFAULT_RATE_SCHEDULE } from '../schedule/default-schedule';
import { adjustmentLines, statedFor } from './adjustments';
import type { StatementCommand } from './statement-commands';
import { statementDecider } from './statement-decider';
import type { StatementEvent } from './statement-events';
import { statementStreamId } from './statement-model';
import { reconciliationOf, type Statement } from './statement-state';

const spec = deciderSpec(statementDecider);
const FINESS = '930000013';
const opened: StatementEvent = { type: 'StatementOpened', data: { finess: FINESS, period: '2026-03', openedBy: 'billing@national' } };
const rates = DEFAULT_RATE_SCHEDULE.missionRates;
const lines = [
  { patientId: 'p-1', cents: 42 },
  { patientId: 'p-2', cents: 275 },
];
const record = (over: Partial<Extract<StatementCommand, { type: 'RecordComputation' }>> = {}): StatementCommand => ({
  type: 'RecordComputation',
  scheduleVersion: 'fmt-2026.1',
  logPosition: '1200',
  missionRates: rates,
  lines,
  adjustmentLines: [],
  ...over,
});
const computed: StatementEvent = {
  type: 'StatementComputed',
  data: {
    scheduleVersion: 'fmt-2026.1',
    logPosition: '1200',
    lines,
    missionLines: [],
    adjustmentLines: [],
    capitationCents: 317,
    missionCents: 0,
    adjustmentCents: 0,
    totalCents: 317,
  },
};
const issued: StatementEvent = {
  type: 'StatementIssued',
  data: { issuedOn: '2026-04-05', issuedBy: 'billing@national', totalCents: 317, scheduleVersion: 'fmt-2026.1', logPosition: '1200' },
};
const pay = (payerReference: string, amountCents: number, paidOn = '2026-04-20'): StatementCommand => ({
  type: 'RecordPayment',
  remittanceId: 'r-1',
  payerReference,
  amountCents,
  paidOn,
});
const received = (payerReference: string, amountCents: number, totalPaidCents: number): StatementEvent => ({
  type: 'PaymentReceived',
  data: { remittanceId: 'r-1', payerReference, amountCents, paidOn: '2026-04-20', totalPaidCents, expectedCents: 317 },
});
const lifecycle = (description: string) => ({
  kind: 'failed_precondition',
  violations: [expect.objectContaining({ subject: 'status', description: expect.stringContaining(description) })],
});

describe('a statement from open to issued', () => {
  it('lives on statement-{finess}-{period}', () => expect(statementStreamId(FINESS, '2026-03')).toBe('statement-930000013-2026-03'));

  it('opens once; opening again records nothing', () => {
    spec.given([]).when({ type: 'OpenStatement', finess: FINESS, period: '2026-03', openedBy: 'billing@national' }).then([opened]);
    spec.given([opened]).when({ type: 'OpenStatement', finess: FINESS, period: '2026-03', openedBy: 'someone-else' }).then([]);
  });

  it('records a computation with its schedule version, log position and totals', () => spec.given([opened]).when(record()).then([computed]));

  it('records nothing when a re-run computes the same statement', () => spec.given([opened, computed]).when(record()).then([]));

  it('records nothing when only the log position moved: the statement keeps the position it was computed from', () =>
    spec
      .given([opened, computed])
      .when(record({ logPosition: '1900' }))
      .then([]));

  it('records a new computation when facts changed before issue', () =>
    spec
      .given([opened, computed])
      .when(record({ logPosition: '1300', lines: [lines[0]!] }))
      .then([
        {
          type: 'StatementComputed',
          data: { ...computed.data, logPosition: '1300', lines: [lines[0]!], capitationCents: 42, totalCents: 42 },
        } as StatementEvent,
      ]));

  it('prices declared mission activity with the unit rates of the schedule', () => {
    const declared: StatementEvent = { type: 'MissionActivityDeclared', data: { line: 'team_coordination', units: 12, declaredBy: 'centre@930000013' } };
    spec.given([opened]).when({ type: 'DeclareMissionActivity', line: 'team_coordination', units: 12, declaredBy: 'centre@930000013' }).then([declared]);
    spec
      .given([opened, declared])
      .when(record())
      .then([
        {
          type: 'StatementComputed',
          data: {
            ...computed.data,
            missionLines: [{ line: 'team_coordination', units: 12, unitRateCents: 5_000, cents: 60_000 }],
            missionCents: 60_000,
            totalCents: 60_317,
          },
        } as StatementEvent,
      ]);
  });

  it('refuses mission activity with a wrong line or units, naming the fields', () =>
    spec
      .given([opened])
      .when({ type: 'DeclareMissionActivity', line: 'gardening' as never, units: 1.5, declaredBy: 'centre' })
      .thenThrows({ violations: [expect.objectContaining({ field: 'line' }), expect.objectContaining({ field: 'units' })] }));

  it('issues a computed statement, never an open one', () => {
    spec.given([opened, computed]).when({ type: 'IssueStatement', issuedOn: '2026-04-05', issuedBy: 'billing@national' }).then([issued]);
    spec.given([opened]).when({ type: 'IssueStatement', issuedOn: '2026-04-05', issuedBy: 'billing@national' }).thenThrows(lifecycle('found open'));
  });

  it('never edits an issued statement: no new computation, no mission activity, no second issue', () => {
    spec
      .given([opened, computed, issued])
      .when(record({ logPosition: '1500' }))
      .thenThrows(lifecycle('never edited'));
    spec
      .given([opened, computed, issued])
      .when({ type: 'DeclareMissionActivity', line: 'team_coordination', units: 1, declaredBy: 'c' })
      .thenThrows(lifecycle('never edited'));
    spec.given([opened, computed, issued]).when({ type: 'IssueStatement', issuedOn: '2026-04-06', issuedBy: 'b' }).thenThrows(lifecycle('never edited'));
  });

  it('refuses commands on a period never opened', () => spec.given([]).when(record()).thenThrows(NotFoundError));
});

describe('payments matched to the statement', () => {
  const given = [opened, computed, issued];

  it('reconciles an exact payment', () =>
    spec
      .given(given)
      .when(pay('VIR-1', 317))
      .then([received('VIR-1', 317, 317), { type: 'StatementReconciled', data: { expectedCents: 317, paidCents: 317 } }]));

  it('records a short payment as a discrepancy with its delta', () =>
    spec
      .given(given)
      .when(pay('VIR-1', 300))
      .then([
        received('VIR-1', 300, 300),
        { type: 'DiscrepancyRecorded', data: { discrepancyId: `${FINESS}-2026-03-1`, expectedCents: 317, paidCents: 300, deltaCents: -17 } },
      ]));

  it('records an over-payment as a discrepancy with a positive delta', () =>
    spec
      .given(given)
      .when(pay('VIR-1', 400))
      .then([
        received('VIR-1', 400, 400),
        { type: 'DiscrepancyRecorded', data: { discrepancyId: `${FINESS}-2026-03-1`, expectedCents: 317, paidCents: 400, deltaCents: 83 } },
      ]));

  const short: StatementEvent[] = [
    received('VIR-1', 300, 300),
    { type: 'DiscrepancyRecorded', data: { discrepancyId: `${FINESS}-2026-03-1`, expectedCents: 317, paidCents: 300, deltaCents: -17 } },
  ];

  it('settles the open discrepancy when a follow-up payment completes the amount', () =>
    spec
      .given([...given, ...short])
      .when(pay('VIR-2', 17))
      .then([
        received('VIR-2', 17, 317),
        {
          type: 'DiscrepancyResolved',
          data: {
            discrepancyId: `${FINESS}-2026-03-1`,
            resolution: 'settled_by_payment',
            reason: expect.stringContaining('VIR-2'),
            resolvedBy: 'reconciliation',
          },
        },
        { type: 'StatementReconciled', data: { expectedCents: 317, paidCents: 317 } },
      ]));

  it('recognises a line already imported and records nothing', () =>
    spec
      .given([...given, ...short])
      .when(pay('VIR-1', 300))
      .then([]));

  it('refuses the same payer reference with another amount', () =>
    spec
      .given([...given, ...short])
      .when(pay('VIR-1', 301))
      .thenThrows({ kind: 'failed_precondition', violations: [expect.objectContaining({ subject: 'payerReference' })] }));

  it('refuses a payment for a statement not yet issued', () => spec.given([opened, computed]).when(pay('VIR-1', 317)).thenThrows(lifecycle('found computed')));

  it('refuses a payment with a wrong amount or date, naming the fields', () =>
    spec
      .given(given)
      .when(pay('VIR-1', 0, '20/04/2026'))
      .thenThrows({ violations: [expect.objectContaining({ field: 'amount' }), expect.objectContaining({ field: 'paymentDate' })] }));

  it('lets billing staff resolve a discrepancy with a reason, once', () => {
    const resolve = (resolution: string, reason = 'rounding on the payer side, below the recovery threshold'): StatementCommand => ({
      type: 'ResolveDiscrepancy',
      discrepancyId: `${FINESS}-2026-03-1`,
      resolution,
      reason,
      resolvedBy: 'billing@national',
    });
    const resolved: StatementEvent = {
      type: 'DiscrepancyResolved',
      data: {
        discrepancyId: `${FINESS}-2026-03-1`,
        resolution: 'write_off',
        reason: 'rounding on the payer side, below the recovery threshold',
        resolvedBy: 'billing@national',
      },
    };
    spec
      .given([...given, ...short])
      .when(resolve('write_off'))
      .then([resolved]);
    spec
      .given([...given, ...short, resolved])
      .when(resolve('write_off'))
      .thenThrows(lifecycle('only an open discrepancy'));
    spec
      .given([...given, ...short])
      .when(resolve('forget', ' '))
      .thenThrows({ violations: [expect.objectContaining({ field: 'resolution' }), expect.objectContaining({ field: 'reason' })] });
    spec
      .given([...given, ...short])
      .when({ ...(resolve('write_off') as object), discrepancyId: 'nope' } as StatementCommand)
      .thenThrows(NotFoundError);
  });

  it('reports expected, paid, outstanding and discrepancies', () => {
    const state = [...given, ...short].reduce(statementDecider.evolve, statementDecider.initialState()) as Statement;
    expect(reconciliationOf(state)).toEqual(
      expect.objectContaining({
        expectedCents: 317,
        paidCents: 300,
        outstandingCents: 17,
        reconciled: false,
        discrepancies: [expect.objectContaining({ deltaCents: -17, status: 'open' })],
      }),
    );
  });
});

describe('adjustments of an issued period', () => {
  it('state, per patient, what the period is worth now minus what statements already said', () => {
    const original = [
      { patientId: 'p-1', cents: 42 },
      { patientId: 'p-2', cents: 275 },
    ];
    // A backdated declaration adds p-3; an end shortens p-2; p-1 is unchanged.
    const recomputed = [
      { patientId: 'p-1', cents: 42 },
      { patientId: 'p-2', cents: 120 },
      { patientId: 'p-3', cents: 30 },
    ];
    const first = adjustmentLines('2026-03', statedFor('2026-03', original, []), recomputed);
    expect(first).toEqual([
      { originalPeriod: '2026-03', patientId: 'p-2', cents: -155 },
      { originalPeriod: '2026-03', patientId: 'p-3', cents: 30 },
    ]);
    // Nothing new: a second statement adds no adjustment; statements sum to the recomputation.
    expect(adjustmentLines('2026-03', statedFor('2026-03', original, first), recomputed)).toEqual([]);
    const sum = (xs: { cents: number }[]) => xs.reduce((s, x) => s + x.cents, 0);
    expect(sum(original) + sum(first)).toBe(sum(recomputed));
  });

  it('never adjusts an erased patient: their issued lines stay as issued', () => {
    const original = [
      { patientId: 'p-1', cents: 42 },
      { patientId: 'p-2', cents: 275 },
    ];
    // p-2 erased: their facts are gone, so the recomputation no longer has them.
    expect(adjustmentLines('2026-03', statedFor('2026-03', original, []), [{ patientId: 'p-1', cents: 42 }], new Set(['p-2']))).toEqual([]);
  });

  it('ignores adjustments that reference another period', () =>
    expect(statedFor('2026-03', [], [{ originalPeriod: '2026-02', patientId: 'p-1', cents: 5 }])).toEqual(new Map()));
});
