import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NirKeyError, type NirKeyGuardLogger, type NirKeySource } from '../../application/nir-key-guard';

export const NIR_KEY_FILE = 'attribution-nir.key';

export class NirKeyFileExposedError extends NirKeyError {
  constructor(
    readonly file: string,
    readonly mode: number,
  ) {
    super(
      `the NIR key file ${file} is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): a key others can read no longer protects the NIRs. Make it the owner's only (chmod 600 ${file}) and consider the key exposed.`,
    );
    this.name = 'NirKeyFileExposedError';
  }
}

/**
 * The secret of the NIR pseudonymisation. Configured (PCN_ATTRIBUTION_NIR_KEY), or in embedded
 * mode kept in the data directory, for its owner only. The attribution module creates it only
 * on a store without patients and checks either against the fingerprint stored with the data.
 * Losing it loses the link from NIRs to patients: back it up with the data.
 */
export function nirKeySource(settings: { configured?: string | undefined; dataDir: string }, logger: NirKeyGuardLogger): NirKeySource {
  const { configured } = settings;
  if (configured) return { description: 'PCN_ATTRIBUTION_NIR_KEY', load: async () => configured };
  const dir = resolve(settings.dataDir);
  const file = join(dir, NIR_KEY_FILE);
  return {
    description: file,
    async load() {
      const found = await stat(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (!found) return undefined;
      if ((found.mode & 0o077) !== 0) throw new NirKeyFileExposedError(file, found.mode);
      return (await readFile(file, 'utf8')).trim();
    },
    async create() {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const key = randomBytes(32).toString('hex');
      await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
      logger.warn(
        { file },
        'PCN_ATTRIBUTION_NIR_KEY is not set: generated a NIR pseudonymisation key in the data directory (embedded mode only); back it up with the data',
      );
      return key;
    },
  };
}
