import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { validateFiness } from '@pcn/referential';
import { isIsoDate, isPeriodId } from '../../domain';
import type { RemittanceLine } from '../../application/billing';

/** One line of a remittance file: read, or refused with its reason. */
export interface RemittanceEntry {
  readonly lineNumber: number;
  readonly line?: RemittanceLine;
  readonly error?: string;
}

export const REMITTANCE_COLUMNS = ['payer_reference', 'finess', 'period', 'amount', 'payment_date'] as const;
const EUROS = /^\d{1,11}(?:\.\d{1,2})?$/;

/** Euros written as a decimal with at most two places, to integer cents without floating point. */
export function eurosToCents(text: string): number | undefined {
  if (!EUROS.test(text)) return undefined;
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Checks one record's cells; every wrong field is named in the reason. */
export function remittanceLine(cells: Readonly<Record<string, unknown>>): { line?: RemittanceLine; error?: string } {
  const text = (name: string): string =>
    typeof cells[name] === 'string' ? (cells[name] as string).trim() : typeof cells[name] === 'number' ? String(cells[name]) : '';
  const problems: string[] = [];
  const payerReference = text('payer_reference');
  if (payerReference === '' || payerReference.length > 64) problems.push('payer_reference: required, at most 64 characters');
  const finess = validateFiness(text('finess'));
  if (!finess.ok) problems.push(`finess: ${finess.reason}`);
  const period = text('period');
  if (!isPeriodId(period)) problems.push(`period: must be a month written YYYY-MM, got ${JSON.stringify(period)}`);
  const amountCents = eurosToCents(text('amount'));
  if (amountCents === undefined || amountCents === 0)
    problems.push(`amount: must be a positive amount in euros with at most two decimals (1234.56), got ${JSON.stringify(text('amount'))}`);
  const paidOn = text('payment_date');
  if (!isIsoDate(paidOn)) problems.push(`payment_date: must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(paidOn)}`);
  if (problems.length > 0 || !finess.ok) return { error: problems.join('; ') };
  return { line: { payerReference, finess: finess.value, period, amountCents: amountCents!, paidOn } };
}

/**
 * Streams a CSV remittance (header row with REMITTANCE_COLUMNS in any order, comma separated,
 * UTF-8 with or without BOM): memory stays flat whatever the size. A record that is not even CSV
 * is reported with its line number like any bad line, and reading goes on.
 */
export async function* readRemittanceCsv(input: Readable): AsyncGenerator<RemittanceEntry> {
  let headerError: string | undefined;
  const skipped: RemittanceEntry[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
        const missing = REMITTANCE_COLUMNS.filter((c) => !header.map((h) => h.trim()).includes(c));
        if (missing.length > 0) headerError = `header: missing column(s) ${missing.join(', ')}; expected ${REMITTANCE_COLUMNS.join(', ')}`;
        return header.map((h) => h.trim());
      },
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  );
  parser.on('skip', (error: CsvError & { lines?: number }) => skipped.push({ lineNumber: error.lines ?? 0, error: `unreadable CSV record: ${error.message}` }));
  // The parser reports a skipped record as soon as it meets it, maybe ahead of records not yet
  // consumed here: each is handed out in line order.
  const skippedBefore = (line: number): RemittanceEntry[] => {
    const due = skipped.filter((e) => e.lineNumber < line).sort((a, b) => a.lineNumber - b.lineNumber);
    skipped.splice(0, skipped.length, ...skipped.filter((e) => e.lineNumber >= line));
    return due;
  };
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield* skippedBefore(info.lines);
    if (headerError !== undefined) {
      yield { lineNumber: 1, error: headerError };
      parser.destroy();
      return;
    }
    yield { lineNumber: info.lines, ...remittanceLine(record) };
  }
  yield* skippedBefore(Number.MAX_SAFE_INTEGER);
  if (headerError !== undefined) yield { lineNumber: 1, error: headerError };
}

/**
 * Streams a JSON remittance written as JSON Lines (one object per line with the CSV's column
 * names as keys; `amount` a string or a number of euros), so a large file is never held whole.
 */
export async function* readRemittanceJsonLines(input: Readable): AsyncGenerator<RemittanceEntry> {
  let lineNumber = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    const text = raw.trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { lineNumber, error: `not JSON: ${(error as Error).message}` };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) yield { lineNumber, error: 'must be a JSON object' };
    else yield { lineNumber, ...remittanceLine(value as Record<string, unknown>) };
  }
}
