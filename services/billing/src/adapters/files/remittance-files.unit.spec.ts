import { Readable } from 'node:stream';
import { finessCheckDigit } from '@pcn/referential';
import type { Statement } from '../../domain';
import { eurosToCents, readRemittanceCsv, readRemittanceJsonArray, readRemittanceJsonLines, type RemittanceEntry } from './remittance-files';
import { statementCsv } from './statement-csv';

const FINESS = `93000001${finessCheckDigit('93000001')}`;
const collect = async (entries: AsyncIterable<RemittanceEntry>): Promise<RemittanceEntry[]> => {
  const all: RemittanceEntry[] = [];
  for await (const e of entries) all.push(e);
  return all;
};

describe('remittance files', () => {
  it('reads euros into cents exactly', () => {
    expect([eurosToCents('1234.56'), eurosToCents('0.1'), eurosToCents('12'), eurosToCents('0.29')]).toEqual([123_456, 10, 1_200, 29]);
    expect([eurosToCents('1,5'), eurosToCents('1.234'), eurosToCents('-3'), eurosToCents('')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('streams a CSV file, keeping good lines and reporting each bad one with its line number and reason', async () => {
    const csv = [
      '\uFEFFpayment_date,payer_reference,finess,period,amount',
      `2026-04-20,VIR-1,${FINESS},2026-03,104.80`,
      `2026-04-20,VIR-2,930000010,2026-3,abc`,
      `2026-04-20,VIR-3`,
      `2026-04-21,VIR-4,${FINESS},2026-03,0.20`,
    ].join('\n');
    const entries = await collect(readRemittanceCsv(Readable.from([csv])));
    expect(entries).toEqual([
      { lineNumber: 2, line: { payerReference: 'VIR-1', finess: FINESS, period: '2026-03', amountCents: 10_480, paidOn: '2026-04-20' } },
      { lineNumber: 3, error: expect.stringMatching(/finess: .*; period: .*; amount: /) },
      { lineNumber: 4, error: expect.stringContaining('unreadable CSV record') },
      { lineNumber: 5, line: { payerReference: 'VIR-4', finess: FINESS, period: '2026-03', amountCents: 20, paidOn: '2026-04-21' } },
    ]);
  });

  it('refuses a CSV file whose header lacks a column, importing nothing', async () => {
    const entries = await collect(readRemittanceCsv(Readable.from([`payer_reference,finess,period,amount\nVIR-1,${FINESS},2026-03,1.00\n`])));
    expect(entries).toEqual([{ lineNumber: 1, error: expect.stringContaining('missing column(s) payment_date') }]);
  });

  it('refuses a payer reference holding a control character (a NUL byte no store keeps in text) on its line', async () => {
    const jsonl = [{ payer_reference: 'VIR\u00001' }, { payer_reference: 'VIR\t2' }].map((r) =>
      JSON.stringify({ ...r, finess: FINESS, period: '2026-03', amount: 1, payment_date: '2026-04-20' }),
    );
    expect(await collect(readRemittanceJsonLines(Readable.from([jsonl.join('\n')])))).toEqual([
      { lineNumber: 1, error: expect.stringContaining('payer_reference: required, at most 64 characters, no control characters') },
      { lineNumber: 2, error: expect.stringContaining('no control characters') },
    ]);
  });

  it('streams JSON Lines with the same checks', async () => {
    const jsonl = [
      JSON.stringify({ payer_reference: 'VIR-1', finess: FINESS, period: '2026-03', amount: 104.8, payment_date: '2026-04-20' }),
      '',
      '{not json',
      JSON.stringify([1]),
      JSON.stringify({ payer_reference: 'VIR-2', finess: FINESS, period: '2026-03', amount: '5', payment_date: '2026-02-30' }),
    ].join('\n');
    expect(await collect(readRemittanceJsonLines(Readable.from([jsonl])))).toEqual([
      { lineNumber: 1, line: { payerReference: 'VIR-1', finess: FINESS, period: '2026-03', amountCents: 10_480, paidOn: '2026-04-20' } },
      { lineNumber: 3, error: expect.stringContaining('not JSON') },
      { lineNumber: 4, error: 'must be a JSON object' },
      { lineNumber: 5, error: expect.stringContaining('payment_date') },
    ]);
  });
});

describe('remittance as one JSON array', () => {
  const good = (ref: string) => ({ payer_reference: ref, finess: FINESS, period: '2026-03', amount: 104.8, payment_date: '2026-04-20' });

  it('streams the elements with the same checks, numbering them from 1', async () => {
    const text = JSON.stringify([good('VIR-1'), 'text', { ...good('VIR-2'), period: '2026-3' }, good('VIR-3')], null, 2);
    expect(await collect(readRemittanceJsonArray(Readable.from([text.slice(0, 50), text.slice(50)])))).toEqual([
      { lineNumber: 1, line: { payerReference: 'VIR-1', finess: FINESS, period: '2026-03', amountCents: 10_480, paidOn: '2026-04-20' } },
      { lineNumber: 2, error: 'must be a JSON object' },
      { lineNumber: 3, error: expect.stringContaining('period: must be a month') },
      { lineNumber: 4, line: expect.objectContaining({ payerReference: 'VIR-3' }) },
    ]);
  });

  it('keeps the elements before text that is not JSON, and reports where reading stopped', async () => {
    const text = `[${JSON.stringify(good('VIR-1'))}, ${JSON.stringify(good('VIR-2'))}, {"payer_reference": oops}]`;
    expect(await collect(readRemittanceJsonArray(Readable.from([text])))).toEqual([
      { lineNumber: 1, line: expect.objectContaining({ payerReference: 'VIR-1' }) },
      { lineNumber: 2, line: expect.objectContaining({ payerReference: 'VIR-2' }) },
      { lineNumber: 3, error: expect.stringMatching(/^not a JSON array of objects .*reading stopped at this element/) },
    ]);
  });

  it('refuses a file that is not an array', async () =>
    expect(await collect(readRemittanceJsonArray(Readable.from([JSON.stringify(good('VIR-1'))])))).toEqual([
      { lineNumber: 1, error: expect.stringContaining('not a JSON array of objects') },
    ]));

  it('hands out the first element before the rest of a large file is read', async () => {
    const total = 20_000;
    let produced = 0;
    async function* file(): AsyncGenerator<string> {
      yield '[';
      for (let i = 1; i <= total; i++) {
        produced = i;
        yield `${i > 1 ? ',' : ''}${JSON.stringify(good(`VIR-${i}`))}`;
      }
      yield ']';
    }
    let readWhenFirst = 0;
    let count = 0;
    for await (const entry of readRemittanceJsonArray(Readable.from(file()))) {
      if (count === 0) readWhenFirst = produced;
      count++;
      expect(entry.lineNumber).toBe(count);
    }
    expect(count).toBe(total);
    expect(readWhenFirst).toBeLessThan(total / 2);
  });
});

describe('statement CSV export', () => {
  it('writes every line and the totals, in cents and euros', () => {
    const statement = {
      exists: true,
      finess: FINESS,
      period: '2026-04',
      status: 'computed',
      missions: {},
      payments: [],
      discrepancies: [],
      reconciled: false,
      computation: {
        scheduleVersion: 'fmt-2026.1',
        logPosition: '12',
        lines: [{ patientId: 'p-2', cents: 822 }],
        missionLines: [{ line: 'team_coordination', units: 2, unitRateCents: 5_000, cents: 10_000 }],
        adjustmentLines: [{ originalPeriod: '2026-03', patientId: 'p-1', cents: -28 }],
        capitationCents: 822,
        missionCents: 10_000,
        adjustmentCents: -28,
        totalCents: 10_794,
      },
    } as Statement;
    expect(statementCsv(statement).trim().split('\n')).toEqual([
      'finess,period,kind,patient_id,mission_line,original_period,units,unit_rate_cents,amount_cents,amount_eur',
      `${FINESS},2026-04,capitation,p-2,,,,,822,8.22`,
      `${FINESS},2026-04,mission,,team_coordination,,2,5000,10000,100.00`,
      `${FINESS},2026-04,adjustment,p-1,,2026-03,,,-28,-0.28`,
      `${FINESS},2026-04,total_capitation,,,,,,822,8.22`,
      `${FINESS},2026-04,total_missions,,,,,,10000,100.00`,
      `${FINESS},2026-04,total_adjustments,,,,,,-28,-0.28`,
      `${FINESS},2026-04,total,,,,,,10794,107.94`,
    ]);
  });
});
