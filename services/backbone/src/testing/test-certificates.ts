import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, PEM, with the files they were written to. */
export interface Issued {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly certFile: string;
  readonly keyFile: string;
}

/** A throw-away PKI for a test: a CA, and certificates it (or another CA) signs. */
export interface TestPki {
  readonly dir: string;
  readonly ca: Issued;
  /** The gRPC server's certificate: `localhost` and 127.0.0.1. */
  readonly server: Issued;
  /** A client certificate whose subject CN is `commonName` (a centre's FINESS), signed by the CA. */
  client(commonName: string): Issued;
  /** The same, signed by a CA the server does not trust. */
  rogueClient(commonName: string): Issued;
  remove(): void;
}

/**
 * Generates the certificates with the openssl command line (P-256 keys, valid one day), the way
 * an operator would: nothing of it is kept after the test.
 */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'pcn-pki-'));
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const files = (name: string) => ({ certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) });
  const read = (name: string): Issued => {
    const f = files(name);
    return { ...f, cert: readFileSync(f.certFile), key: readFileSync(f.keyFile) };
  };
  const selfSigned = (name: string, subject: string): Issued => {
    const f = files(name);
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      subject,
      '-keyout',
      f.keyFile,
      '-out',
      f.certFile,
    );
    return read(name);
  };
  let serial = 0;
  const signed = (name: string, subject: string, by: Issued, extensions: string): Issued => {
    const f = files(name);
    const csr = join(dir, `${name}.csr`);
    const ext = join(dir, `${name}.ext`);
    writeFileSync(ext, extensions);
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject, '-keyout', f.keyFile, '-out', csr);
    openssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      by.certFile,
      '-CAkey',
      by.keyFile,
      '-set_serial',
      String(++serial),
      '-days',
      '1',
      '-extfile',
      ext,
      '-out',
      f.certFile,
    );
    return read(name);
  };
  const clientExtensions = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n';

  const ca = selfSigned('ca', '/CN=PCN test CA');
  const rogueCa = selfSigned('rogue-ca', '/CN=Someone else CA');
  const server = signed(
    'server',
    '/CN=localhost',
    ca,
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
  );
  return {
    dir,
    ca,
    server,
    client: (commonName) => signed(`client-${commonName}`, `/CN=${commonName}`, ca, clientExtensions),
    rogueClient: (commonName) => signed(`rogue-${commonName}`, `/CN=${commonName}`, rogueCa, clientExtensions),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
