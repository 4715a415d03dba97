import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { billingV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import type { ServedGrpc } from '@pcn/service/testing';
import { formatEuros } from '../domain';
import { serveBillingOverGrpc, startBilling, type BillingFixture } from '../testing';
import { BillingCallError, BillingClient } from './billing-client';
import type { CliIo, Progress } from './cli-io';
import { CliError, exportStatementsCommand, importRemittanceCommand, runPeriodCommand } from './commands';
import { main } from './main';

const CENTRE = '930000013';
const OTHER = '750712184';
const PERIOD = '2026-03';

let sql: PgliteSqlClient;
let fx: BillingFixture;
let served: ServedGrpc;
let client: BillingClient;
let dir: string;

/** What a command wrote, and the progress bar's last position against its total. */
function recordingIo(): CliIo & { output: string; errors: string; bars: { total: number; value: number; stopped: boolean }[] } {
  const io = {
    output: '',
    errors: '',
    bars: [] as { total: number; value: number; stopped: boolean }[],
    out: (text: string) => void (io.output += text),
    err: (text: string) => void (io.errors += text),
    progress: (): Progress => {
      const bar = { total: 0, value: 0, stopped: false };
      io.bars.push(bar);
      return {
        start: (total, value) => Object.assign(bar, { total, value }),
        update: (value) => void (bar.value = value),
        stop: () => void (bar.stopped = true),
      };
    },
  };
  return io;
}

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startBilling({ sql, schema: 'billing_cli' });
  await fx.facts.accredit(CENTRE, '2025-01-01');
  await fx.facts.accredit(OTHER, '2025-01-01');
  await fx.facts.declare('p-1', 'a-1', CENTRE, '2025-06-01');
  await fx.facts.declare('p-2', 'a-2', CENTRE, '2026-03-10');
  await fx.facts.declare('p-3', 'a-3', OTHER, '2025-02-01');
  served = await serveBillingOverGrpc(fx);
  // A billing staff member's token, as `npm run -s token -- --role billing` prints it.
  const token = (await fx.issuer.bearer('billing', undefined, 'agent-1')).slice('Bearer '.length);
  client = new BillingClient({ target: served.address, token, deadlineMs: 20_000 });
  dir = mkdtempSync(join(tmpdir(), 'pcn-billing-cli-'));
}, 60_000);

afterAll(async () => {
  client?.close();
  await served?.stop();
  await fx?.stop();
  await sql?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('billing CLI over gRPC', () => {
  it('runs a period for every centre, the bar moving to the last centre, and sums it up; a second run changes nothing', async () => {
    const io = recordingIo();
    const first = await runPeriodCommand(client, { period: PERIOD }, io);
    expect(first.exitCode).toBe(0);
    expect(first.summary.centres.map((c) => [c.centreFiness, c.outcome, c.lines])).toEqual([
      [OTHER, pb.RunOutcome.RUN_OUTCOME_COMPUTED, 1],
      [CENTRE, pb.RunOutcome.RUN_OUTCOME_COMPUTED, 2],
    ]);
    expect(io.bars).toEqual([{ total: 2, value: 2, stopped: true }]);
    const total = first.summary.centres.reduce((sum, c) => sum + c.totalCents, 0);
    expect(total).toBeGreaterThan(0);
    expect(io.output).toContain(`Period ${PERIOD}, schedule fmt-2026.1`);
    expect(io.output).toContain(`2 computed, 0 unchanged, 0 already issued; total ${formatEuros(total)} EUR`);
    expect(io.output).toMatch(new RegExp(`${CENTRE}\\s+computed\\s+2 lines`));

    const again = recordingIo();
    await runPeriodCommand(client, { period: PERIOD, finess: CENTRE }, again);
    expect(again.output).toContain('0 computed, 1 unchanged, 0 already issued');
  });

  it('fails with the server status and reason for a centre billing does not know, or a caller without the right', async () => {
    const error = await runPeriodCommand(client, { period: PERIOD, finess: '690000013' }, recordingIo()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillingCallError);
    expect((error as BillingCallError).message).toMatch(/^RunPeriod failed: NOT_FOUND: .*690000013/);

    const centre = (await fx.issuer.bearer('centre', { finess: CENTRE })).slice('Bearer '.length);
    const asCentre = new BillingClient({ target: served.address, token: centre, deadlineMs: 20_000 });
    try {
      const denied = await runPeriodCommand(asCentre, { period: PERIOD }, recordingIo()).catch((e: unknown) => e);
      expect((denied as BillingCallError).status).toBe('PERMISSION_DENIED');
    } finally {
      asCentre.close();
    }
  });

  it('imports a CSV remittance: good lines recorded, each bad line reported by number and reason, exit 2; importing it again records nothing', async () => {
    await fx.module.billing.issueStatement({ finess: CENTRE, period: PERIOD, issuedOn: '2026-04-02', issuedBy: 'billing:agent-1' });
    const expected = (await fx.module.billing.getStatement(CENTRE, PERIOD)).computation!.totalCents;
    const file = join(dir, 'remittance-2026-03.csv');
    writeFileSync(
      file,
      [
        'payer_reference,finess,period,amount,payment_date',
        `PAY-1,${CENTRE},${PERIOD},${formatEuros(expected)},2026-04-20`,
        `PAY-2,${CENTRE},2026-3,10.00,2026-04-20`,
        `PAY-3,${CENTRE},${PERIOD},10.00`,
        `PAY-4,${OTHER},${PERIOD},5.00,2026-04-20`,
        `PAY-5,930000014,${PERIOD},5.00,2026-04-21`,
      ].join('\n') + '\n',
    );
    const io = recordingIo();
    const result = await importRemittanceCommand(client, { file }, io);
    expect(result.exitCode).toBe(2);
    expect(result.counts).toMatchObject({ reconciled: 1, exception: 1, discrepancy: 0, rejected: 3 });
    expect(result.errors.map((e) => e.lineNumber)).toEqual([3, 4, 6]);
    expect(result.errors[0]!.reason).toContain('period');
    expect(result.errors[2]!.reason).toContain('finess');
    expect(io.errors.split('\n')[0]).toMatch(/^line 3: .*period/);
    expect(io.output).toContain('Remittance remittance-2026-03.csv: 5 lines; 1 reconciled, 0 with a discrepancy, 1 matching no issued statement');
    expect(io.bars[0]).toMatchObject({ value: io.bars[0]!.total, stopped: true });
    expect((await fx.module.billing.getStatement(CENTRE, PERIOD)).reconciled).toBe(true);

    const again = await importRemittanceCommand(client, { file }, recordingIo());
    expect(again.counts).toMatchObject({ reconciled: 0, exception: 0, alreadyImported: 2, rejected: 3 });
  });

  it('imports a JSON Lines remittance, reporting a line that is not JSON', async () => {
    const file = join(dir, 'remittance.jsonl');
    writeFileSync(
      file,
      `{"payer_reference":"PAY-10","finess":"${OTHER}","period":"${PERIOD}","amount":"1.00","payment_date":"2026-04-22"}\n{"payer_reference":\n`,
    );
    const result = await importRemittanceCommand(client, { file, remittanceId: 'rem-json' }, recordingIo());
    expect(result).toMatchObject({ exitCode: 2, counts: expect.objectContaining({ exception: 1, rejected: 1 }) });
    expect(result.errors).toEqual([{ lineNumber: 2, reason: expect.stringContaining('not JSON') }]);
  });

  it('refuses a file it cannot use: missing, of an unknown kind, or without the columns', async () => {
    await expect(importRemittanceCommand(client, { file: join(dir, 'none.csv') }, recordingIo())).rejects.toThrow(
      new CliError(`cannot read ${join(dir, 'none.csv')}: no such file`),
    );
    await expect(importRemittanceCommand(client, { file: join(dir, 'x.xlsx') }, recordingIo())).rejects.toThrow(/--format csv/);
    const file = join(dir, 'no-amount.csv');
    writeFileSync(file, `payer_reference,finess,period,payment_date\nPAY-20,${CENTRE},${PERIOD},2026-04-20\n`);
    await expect(importRemittanceCommand(client, { file }, recordingIo())).rejects.toThrow(/header: missing column\(s\) amount; .*; nothing imported$/);
  });

  it('imports a remittance written as one JSON array, numbering the elements, idempotently', async () => {
    const file = join(dir, 'remittance-array.json');
    const element = (ref: string, period: string) =>
      `{"payer_reference": "${ref}", "finess": "${OTHER}", "period": "${period}", "amount": 2.5, "payment_date": "2026-04-23"}`;
    writeFileSync(file, `\uFEFF  [\n  ${element('PAY-30', PERIOD)},\n  ${element('PAY-31', '2026-3')},\n  42\n]\n`);
    const result = await importRemittanceCommand(client, { file }, recordingIo());
    expect(result).toMatchObject({ exitCode: 2, counts: expect.objectContaining({ exception: 1, rejected: 2 }) });
    expect(result.errors).toEqual([
      { lineNumber: 2, reason: expect.stringContaining('period') },
      { lineNumber: 3, reason: 'must be a JSON object' },
    ]);
    const again = await importRemittanceCommand(client, { file, format: 'json' }, recordingIo());
    expect(again.counts).toMatchObject({ exception: 0, alreadyImported: 1, rejected: 2 });
  });

  it('exports the computed statements as CSV and FHIR R4 files, one pair per centre', async () => {
    const out = join(dir, 'exports');
    const io = recordingIo();
    const result = await exportStatementsCommand(client, { period: PERIOD, formats: ['csv', 'fhir'], outDir: out }, io);
    expect(result.exitCode).toBe(0);
    expect(result.files.map((f) => f.slice(out.length + 1))).toEqual([
      `statement-${OTHER}-${PERIOD}.csv`,
      `statement-${OTHER}-${PERIOD}.fhir.json`,
      `statement-${CENTRE}-${PERIOD}.csv`,
      `statement-${CENTRE}-${PERIOD}.fhir.json`,
    ]);
    const statement = await fx.module.billing.getStatement(CENTRE, PERIOD);
    const csv = readFileSync(result.files[2]!, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('finess,period,kind,patient_id,mission_line,original_period,units,unit_rate_cents,amount_cents,amount_eur');
    expect(csv.filter((l) => l.includes(',capitation,'))).toHaveLength(2);
    expect(csv.at(-1)).toBe(`${CENTRE},${PERIOD},total,,,,,,${statement.computation!.totalCents},${formatEuros(statement.computation!.totalCents)}`);
    const bundle = JSON.parse(readFileSync(result.files[3]!, 'utf8')) as { resourceType: string; entry: { resource: Record<string, unknown> }[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry[1]!.resource).toMatchObject({
      resourceType: 'Invoice',
      status: 'issued',
      totalNet: { value: statement.computation!.totalCents / 100, currency: 'EUR' },
    });
    expect(io.output).toContain(`Exported 2 statement(s) of ${PERIOD} (csv and fhir)`);
    expect(io.bars[0]).toMatchObject({ total: 2, value: 2 });
  });

  it('refuses to export a period with no computed statement, and the server a statement not computed yet', async () => {
    await expect(exportStatementsCommand(client, { period: '2025-01', formats: ['csv'], outDir: dir }, recordingIo())).rejects.toThrow(
      new CliError('no computed statement for any centre in 2025-01'),
    );
    await fx.module.billing.declareMissionActivity({ finess: CENTRE, period: '2026-04', line: 'team_coordination', units: 3, declaredBy: 'billing:agent-1' });
    await expect(exportStatementsCommand(client, { period: '2026-04', formats: ['csv'], outDir: dir }, recordingIo())).rejects.toThrow(
      new CliError('no computed statement for any centre in 2026-04 (1 open: run the period first)'),
    );
    const error = (await client.exportStatement('fhir', CENTRE, '2026-04').catch((e: unknown) => e)) as BillingCallError;
    expect(error.status).toBe('FAILED_PRECONDITION');
    expect(error.message).toContain('has not been computed');
  });
});

describe('billing CLI arguments', () => {
  it('needs a token and a well-written period before calling anything', async () => {
    const saved = process.env.PCN_TOKEN;
    delete process.env.PCN_TOKEN;
    try {
      await expect(main(['--target', served.address, 'run-period', '--period', PERIOD])).rejects.toThrow(/no token: pass --token or set PCN_TOKEN/);
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await expect(main(['--token', 't', 'run-period', '--period', '2026-3'])).rejects.toMatchObject({
          exitCode: 1,
          message: expect.stringContaining('YYYY-MM'),
        });
      } finally {
        stderr.mockRestore();
      }
    } finally {
      if (saved !== undefined) process.env.PCN_TOKEN = saved;
    }
  });
});
