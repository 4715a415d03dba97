import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import StreamArray from 'stream-json/streamers/StreamArray';
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
  // Control characters (a NUL byte of a broken export) are refused: no store keeps them in text.
  if (payerReference === '' || payerReference.length > 64 || /\p{Cc}/u.test(payerReference))
    problems.push('payer_reference: required, at most 64 characters, no control characters');
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

/** Drops a UTF-8 byte order mark at the start of the stream (spreadsheet exports write one). */
function withoutBom(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const bom = first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
      done(null, bom ? chunk.subarray(3) : chunk);
    },
  });
}

/**
 * Streams a JSON remittance written as one JSON array of objects (the CSV's column names as keys),
 * element by element with stream-json's parser: memory stays flat whatever the size, as with
 * JSON Lines. An entry's `lineNumber` is the element's number in the array (1 = first element).
 * A wrong element is refused and reading goes on; text that is not JSON (or not an array) stops
 * the reading there, reported at the element it broke, with the elements before it kept.
 */
export async function* readRemittanceJsonArray(input: Readable): AsyncGenerator<RemittanceEntry> {
  const elements = input.pipe(withoutBom()).pipe(StreamArray.withParser());
  // Elements are queued as the parser emits them, so those parsed before a syntax error in the
  // same chunk are still handed out; the parser is paused while the queue is full (backpressure).
  const queue: { key: number; value: unknown }[] = [];
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    wake?.();
    wake = undefined;
  };
  elements.on('data', (element: { key: number; value: unknown }) => {
    queue.push(element);
    if (queue.length >= 1_000) elements.pause();
    signal();
  });
  elements.on('end', () => {
    ended = true;
    signal();
  });
  const fail = (error: Error): void => {
    failure ??= error;
    signal();
  };
  elements.on('error', fail);
  // An error of the file stream does not travel through pipe().
  input.on('error', fail);
  let count = 0;
  try {
    for (;;) {
      const element = queue.shift();
      if (element !== undefined) {
        count = element.key + 1;
        const { value } = element;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) yield { lineNumber: count, error: 'must be a JSON object' };
        else yield { lineNumber: count, ...remittanceLine(value as Record<string, unknown>) };
        continue;
      }
      if (failure !== undefined) {
        if ((failure as NodeJS.ErrnoException).code !== undefined) throw failure;
        yield { lineNumber: count + 1, error: `not a JSON array of objects (${failure.message}): reading stopped at this element` };
        return;
      }
      if (ended) return;
      elements.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    input.off('error', fail);
    elements.destroy();
  }
}

/**
 * The reader of each media type a remittance file is sent as over REST (the CLI tells the
 * format from the file's name): the same streamed readers as the CLI's.
 */
export const REMITTANCE_READERS: Readonly<Record<string, (input: Readable) => AsyncGenerator<RemittanceEntry>>> = {
  'text/csv': readRemittanceCsv,
  'application/x-ndjson': readRemittanceJsonLines,
  'application/json': readRemittanceJsonArray,
};
