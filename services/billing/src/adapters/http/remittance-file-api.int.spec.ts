import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import request from 'supertest';
import type { Express } from 'express';
import { serveBillingOverHttp, startBilling, type BillingFixture } from '../../testing';

const CENTRE = '930000013';
const HEADER = 'payer_reference,finess,period,amount,payment_date';
/** A payment for a period with no statement: recorded as an exception, one stream per payer reference. */
const row = (ref: string, amount = '12.50'): string => `${ref},${CENTRE},2025-01,${amount},2025-02-10`;
const object = (ref: string, amount: string | number = '12.50') => ({
  payer_reference: ref,
  finess: CENTRE,
  period: '2025-01',
  amount,
  payment_date: '2025-02-10',
});

let sql: PgliteSqlClient;
let fx: BillingFixture;
let app: Express;
/** The same routes with a 2,000-byte file limit. */
let small: Express;
let billing: string;

const upload = (path: string, type: string, body: string, as = billing) =>
  request(app).post(`/v1/billing/remittances/${path}/file`).set('Authorization', as).set('Content-Type', type).send(body);
const head = (): Promise<number> => fx.module.store.headPosition();

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startBilling({ sql, schema: 'billing_file_http' });
  app = serveBillingOverHttp(fx);
  small = serveBillingOverHttp(fx, { fileLimitBytes: 2_000 });
  billing = await fx.issuer.bearer('billing', undefined, 'agent-7');
}, 60_000);

afterAll(async () => {
  await fx.stop();
  await sql.close();
});

describe('POST /v1/billing/remittances/{remittanceId}/file', () => {
  it('imports a CSV file, refusing bad lines by number and keeping the good ones; a re-run imports nothing new', async () => {
    const csv = [HEADER, row('CSV-1'), `CSV-2,${CENTRE},March,1.00,2025-02-10`, row('CSV-3'), 'CSV-4,12345,2025-01,-3,2025-13-01'].join('\n');
    const first = await upload('rem-csv', 'text/csv', csv).expect(200);
    expect(first.body.counts).toEqual({ reconciled: 0, discrepancy: 0, exception: 2, already_imported: 0, rejected: 2 });
    expect(first.body.errors).toEqual([
      { lineNumber: 3, reason: expect.stringContaining('period') },
      { lineNumber: 5, reason: expect.stringMatching(/finess.*amount.*payment_date/) },
    ]);
    const before = await head();
    const again = await upload('rem-csv', 'text/csv; charset=utf-8', csv).expect(200);
    expect(again.body.counts).toEqual({ reconciled: 0, discrepancy: 0, exception: 0, already_imported: 2, rejected: 2 });
    expect(await head()).toBe(before);
  });

  it('imports JSON Lines and a JSON array, numbering a JSON array’s elements from 1', async () => {
    const lines = [JSON.stringify(object('JL-1')), '{"payer_reference":', JSON.stringify(object('JL-2', 7))].join('\n');
    const jsonl = await upload('rem-jsonl', 'application/x-ndjson', lines).expect(200);
    expect(jsonl.body.counts).toMatchObject({ exception: 2, rejected: 1 });
    expect(jsonl.body.errors).toEqual([{ lineNumber: 2, reason: expect.stringContaining('not JSON') }]);

    const array = await upload('rem-json', 'application/json', JSON.stringify([object('JA-1'), { ...object('JA-2'), amount: 'ten' }, object('JA-3')])).expect(
      200,
    );
    expect(array.body.counts).toMatchObject({ exception: 2, rejected: 1 });
    expect(array.body.errors).toEqual([{ lineNumber: 2, reason: expect.stringContaining('amount') }]);
  });

  it('keeps the elements before a truncated JSON array and says where reading stopped', async () => {
    const text = JSON.stringify([object('TR-1'), object('TR-2')]).slice(0, -20);
    const answer = await upload('rem-truncated', 'application/json', text).expect(200);
    expect(answer.body.counts).toMatchObject({ exception: 1, rejected: 1 });
    expect(answer.body.errors).toEqual([{ lineNumber: 2, reason: expect.stringContaining('reading stopped') }]);
  });

  it('streams a 20,000-line file (far over the 256 kB JSON body limit) in each format, and recognises it on a re-run', async () => {
    // Every 200th line is a payment, the others are refused (a wrong period): refusals write nothing, so the test stays quick.
    const refs = Array.from({ length: 20_000 }, (_, i) => `BIG-${i}`);
    const good = (i: number): boolean => i % 200 === 0;
    const array = JSON.stringify(refs.map((r, i) => (good(i) ? object(r) : { ...object(r), period: '2025-13' })));
    expect(array.length).toBeGreaterThan(2_000_000);
    const first = await upload('rem-big', 'application/json', array).expect(200);
    expect(first.body.counts).toEqual({ reconciled: 0, discrepancy: 0, exception: 100, already_imported: 0, rejected: 19_900 });
    expect(first.body.errors.at(-1)).toEqual({ lineNumber: 20_000, reason: expect.stringContaining('period') });
    const csv = [HEADER, ...refs.map((r, i) => (good(i) ? row(r) : row(r).replace('2025-01', '2025-13')))].join('\r\n');
    const rerun = await upload('rem-big', 'text/csv', csv).expect(200);
    expect(rerun.body.counts).toEqual({ reconciled: 0, discrepancy: 0, exception: 0, already_imported: 100, rejected: 19_900 });
    // A CSV's header is line 1.
    expect(rerun.body.errors.at(-1)).toEqual({ lineNumber: 20_001, reason: expect.stringContaining('period') });
    const jsonl = await upload(
      'rem-big',
      'application/x-ndjson',
      refs.map((r, i) => JSON.stringify(good(i) ? object(r) : { ...object(r), period: 'x' })).join('\n'),
    ).expect(200);
    expect(jsonl.body.counts).toMatchObject({ already_imported: 100, rejected: 19_900 });
  }, 120_000);

  it('refuses a file of which no line can be recorded (400 naming each line), and writes nothing', async () => {
    const before = await head();
    const bad = await upload('rem-bad', 'text/csv', [HEADER, 'X,1,2,3,4', `\u0000,${CENTRE},2025-01,1,2025-02-10`].join('\n')).expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([
      { field: 'line 2', description: expect.stringContaining('finess') },
      { field: 'line 3', description: expect.stringContaining('payer_reference') },
    ]);
    const header = await upload('rem-bad', 'text/csv', 'ref;finess\nA;B').expect(400);
    expect(header.body.errors).toEqual([{ field: 'line 1', description: expect.stringContaining('missing column') }]);
    const notArray = await upload('rem-bad', 'application/json', '{"name":').expect(400);
    expect(notArray.body.errors).toEqual([{ field: 'line 1', description: expect.stringContaining('not a JSON array') }]);
    const broken = await upload('rem-bad', 'text/csv', Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0xc3]).toString('latin1')).expect(400);
    expect(broken.body.errors.length).toBeGreaterThan(0);
    const empty = await upload('rem-bad', 'application/x-ndjson', '').expect(400);
    expect(empty.body.errors).toEqual([{ field: '(body)', description: expect.stringContaining('no remittance line') }]);
    await upload(encodeURIComponent('bad\u0001id'), 'text/csv', [HEADER, row('ID-1')].join('\n')).expect(400);
    expect(await head()).toBe(before);
  });

  it('answers 415 problem+json for another media type, naming the ones taken', async () => {
    const answer = await upload('rem-type', 'text/plain', [HEADER, row('TY-1')].join('\n')).expect(415);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body.detail).toMatch(/text\/csv, application\/x-ndjson, application\/json; got "text\/plain"/);
  });

  it('refuses a body declared over PCN_HTTP_FILE_LIMIT unread (413)', async () => {
    const before = await head();
    const csv = [HEADER, ...Array.from({ length: 100 }, (_, i) => row(`LIM-${i}`))].join('\n');
    const answer = await request(small)
      .post('/v1/billing/remittances/rem-limit/file')
      .set('Authorization', billing)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(413);
    expect(answer.body.detail).toMatch(/over the 2000-byte limit.*nothing was read/);
    expect(await head()).toBe(before);
  });

  it('reads a chunked body over the limit up to its last whole line, records those and answers 413', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => row(`CH-${i}`));
    let bytes = HEADER.length + 1;
    let whole = 0;
    while (bytes + lines[whole]!.length + 1 <= 2_000) bytes += lines[whole++]!.length + 1;
    expect(whole).toBeGreaterThan(30);
    const server = small.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: { detail: string } }>((resolve, reject) => {
        const req = httpRequest(
          { port, method: 'POST', path: '/v1/billing/remittances/rem-chunked/file', headers: { authorization: billing, 'content-type': 'text/csv' } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as { detail: string } }));
          },
        );
        req.on('error', reject);
        req.write(`${HEADER}\n`);
        for (const line of lines) req.write(`${line}\n`);
        req.end();
      });
      expect(answer.status).toBe(413);
      expect(answer.body.detail).toMatch(new RegExp(`over the 2000-byte limit.*the ${whole} line\\(s\\) before were recorded`));
    } finally {
      server.close();
    }
    // The rows wholly within the 2,000 bytes were recorded, the one cut at the limit was not.
    const rerun = await upload('rem-chunked', 'text/csv', [HEADER, ...lines.slice(0, whole + 1)].join('\n')).expect(200);
    expect(rerun.body.counts).toMatchObject({ already_imported: whole, exception: 1 });
  });

  it('is for national coordinators and billing staff only', async () => {
    const file = [HEADER, row('ROLE-1')].join('\n');
    await upload('rem-role', 'text/csv', file, await fx.issuer.bearer('national_coordinator')).expect(200);
    const denied = [
      await fx.issuer.bearer('auditor'),
      await fx.issuer.bearer('centre', { finess: CENTRE }),
      await fx.issuer.bearer('regional_coordinator', { region: '11' }),
    ];
    for (const as of denied) {
      const answer = await upload('rem-role', 'text/csv', file, as).expect(403);
      expect(answer.body.detail).toMatch(/may not call billing\.ImportRemittanceFile/);
    }
    await request(app).post('/v1/billing/remittances/rem-role/file').set('Content-Type', 'text/csv').send(file).expect(401);
  });
});
