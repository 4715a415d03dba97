import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '@pcn/observability';
import type { Config } from '../config';

export const NIR_KEY_FILE = 'attribution-nir.key';

/**
 * The secret of the NIR pseudonymisation. Configured (PCN_ATTRIBUTION_NIR_KEY), or in embedded
 * mode kept in the data directory: generated once, so the same NIR finds the same patient after
 * a restart. Losing it loses the link from NIRs to patients: back it up with the data.
 */
export async function nirKey(config: Config, logger: Logger): Promise<string> {
  if (config.PCN_ATTRIBUTION_NIR_KEY) return config.PCN_ATTRIBUTION_NIR_KEY;
  const dir = resolve(config.PCN_DATA_DIR);
  const file = join(dir, NIR_KEY_FILE);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return existing.trim();
  await mkdir(dir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn({ file }, 'PCN_ATTRIBUTION_NIR_KEY is not set: generated a NIR pseudonymisation key in the data directory (embedded mode only)');
  return key;
}
