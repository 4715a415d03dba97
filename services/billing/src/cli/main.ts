#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { isPeriodId } from '../domain';
import { BillingCallError, BillingClient } from './billing-client';
import { processIo } from './cli-io';
import { CliError, EXIT, exportStatementsCommand, importRemittanceCommand, runPeriodCommand, type ExportFormat } from './commands';

const USAGE_EXAMPLES = `
Examples:
  export PCN_TOKEN="$(npm run -s token -- --role billing --subject agent-1)"
  npm run -s billing -- run-period --period 2026-03
  npm run -s billing -- run-period --period 2026-03 --finess 930000013
  npm run -s billing -- import-remittance --file remittance-2026-03.csv
  npm run -s billing -- export --period 2026-03 --format csv,fhir --out statements/

Exit codes: 0 done; 1 could not run (the message says why); 2 a remittance was imported but some
lines were refused (each listed on stderr with its line number and reason).`;

const period = (value: string): string => {
  if (!isPeriodId(value)) throw new InvalidArgumentError('must be a month written YYYY-MM');
  return value;
};
const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 86_400) throw new InvalidArgumentError('must be a whole number of seconds from 1 to 86400');
  return n;
};
const formats = (value: string): ExportFormat[] => {
  const list = value.split(',').map((v) => v.trim());
  if (list.length === 0 || list.some((f) => f !== 'csv' && f !== 'fhir')) throw new InvalidArgumentError('must be csv, fhir or csv,fhir');
  return [...new Set(list)] as ExportFormat[];
};

interface GlobalOptions {
  target: string;
  token?: string;
  deadline: number;
  progress: boolean;
}

/**
 * `npm run -s billing -- <command>`: billing staff's tool over the backbone's gRPC API
 * (pcn.billing.v1.CapitationBilling), as the verified identity of the bearer token.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('pcn-billing')
    .description('Capitation billing from the command line: run a period, import a remittance, export statements')
    .option('--target <host:port>', "the backbone's gRPC address (env PCN_GRPC_ADDR)", process.env.PCN_GRPC_ADDR ?? '127.0.0.1:50051')
    .option('--token <jwt>', 'bearer token of a billing staff member or national coordinator (env PCN_TOKEN)', process.env.PCN_TOKEN)
    .option('--deadline <seconds>', 'deadline of each call', seconds, 900)
    .option('--no-progress', 'no progress bar (e.g. in a log file)')
    .addHelpText('after', USAGE_EXAMPLES)
    .exitOverride()
    .showHelpAfterError();

  const connect = (): { client: BillingClient; io: ReturnType<typeof processIo> } => {
    const g = program.opts<GlobalOptions>();
    if (g.token === undefined || g.token.trim() === '') throw new CliError('no token: pass --token or set PCN_TOKEN (npm run -s token -- --role billing)');
    return { client: new BillingClient({ target: g.target, token: g.token, deadlineMs: g.deadline * 1000 }), io: processIo(g.progress) };
  };
  const withClient = async (run: (c: ReturnType<typeof connect>) => Promise<number>): Promise<void> => {
    const connection = connect();
    try {
      exitCode = await run(connection);
    } finally {
      connection.client.close();
    }
  };

  program
    .command('run-period')
    .description('compute the statements of a period, for every centre or one')
    .requiredOption('--period <YYYY-MM>', 'the month', period)
    .option('--finess <finess>', 'one centre (all centres when absent)')
    .action((o: { period: string; finess?: string }) =>
      withClient(async ({ client, io }) => (await runPeriodCommand(client, { period: o.period, ...(o.finess && { finess: o.finess }) }, io)).exitCode),
    );

  program
    .command('import-remittance')
    .description("import a payer's remittance file: CSV, a JSON array of objects, or JSON Lines (one object per line)")
    .requiredOption('--file <path>', 'the remittance file (docs/billing.md, Files)')
    .addOption(
      new Option('--format <format>', 'the file format (by default from the extension: .csv, .jsonl/.ndjson, .json: an array if it starts with [)').choices([
        'csv',
        'json',
        'jsonl',
      ]),
    )
    .option('--remittance-id <id>', "the remittance's name (the file name by default)")
    .action((o: { file: string; format?: 'csv' | 'json' | 'jsonl'; remittanceId?: string }) =>
      withClient(async ({ client, io }) => (await importRemittanceCommand(client, o, io)).exitCode),
    );

  program
    .command('export')
    .description("write a period's computed statements to files: CSV (every line) and/or FHIR R4 JSON")
    .requiredOption('--period <YYYY-MM>', 'the month', period)
    .option('--finess <finess>', 'one centre (all centres when absent)')
    .option('--format <formats>', 'csv, fhir or csv,fhir', formats, ['csv', 'fhir'] as ExportFormat[])
    .option('--out <dir>', 'the directory to write to (created if needed)', '.')
    .action((o: { period: string; finess?: string; format: ExportFormat[]; out: string }) =>
      withClient(
        async ({ client, io }) =>
          (await exportStatementsCommand(client, { period: o.period, formats: o.format, outDir: o.out, ...(o.finess && { finess: o.finess }) }, io)).exitCode,
      ),
    );

  await program.parseAsync(argv, { from: 'user' });
  return exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      // commander has printed its own message (usage errors, --help).
      if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') process.exit(error.exitCode === 0 ? 0 : EXIT.failed);
      const known = error instanceof CliError || error instanceof BillingCallError;
      process.stderr.write(`pcn-billing: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(EXIT.failed);
    });
}
