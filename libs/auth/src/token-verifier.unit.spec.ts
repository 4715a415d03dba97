import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { finessCheckDigit } from '@pcn/referential';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_ISSUER_KEY_FILE, DevIssuer } from './dev-issuer';
import { TokenVerifier } from './token-verifier';
import { TokenAuthenticator } from './access';

const CENTRE = `93000001${finessCheckDigit('93000001')}`;

let dir: string;
let issuer: DevIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pcn-auth-'));
  issuer = await DevIssuer.open(dir);
  verifier = new TokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, keys: { jwks: issuer.jwks() } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the development issuer', () => {
  it('keeps its key in the data directory, for its owner only, and reuses it', async () => {
    expect(statSync(join(dir, DEV_ISSUER_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await DevIssuer.open(dir);
    expect(again.jwks()).toEqual(issuer.jwks());
    expect(JSON.stringify(issuer.jwks())).not.toContain('"d"');
  });
});

describe('TokenVerifier', () => {
  it('turns a valid token into an identity', async () => {
    const token = await issuer.sign({ role: 'centre', scope: { finess: '930000017' }, subject: 'cds-saint-denis' });
    await expect(verifier.verify(token)).resolves.toEqual({ subject: 'cds-saint-denis', role: 'centre', scope: { finess: '930000017' }, via: 'token' });
  });

  it('keeps a verified token only until its expiry, and never a refused one', async () => {
    let now = Date.now();
    const clocked = new TokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, keys: { jwks: issuer.jwks() }, clockToleranceSeconds: 0, now: () => now });
    const token = await issuer.sign({ role: 'auditor', subject: 'auditor-1', ttlSeconds: 60 });
    await expect(clocked.verify(token)).resolves.toMatchObject({ subject: 'auditor-1' });
    now += 59_000;
    await expect(clocked.verify(token)).resolves.toMatchObject({ subject: 'auditor-1' });
    now += 2_000;
    await expect(clocked.verify(token)).rejects.toMatchObject({ kind: 'unauthenticated', message: expect.stringContaining('expired') });
    const forged = `${token.slice(0, -4)}AAAA`;
    await expect(clocked.verify(forged)).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(clocked.verify(forged)).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('refuses an expired token', async () => {
    const token = await issuer.sign({ role: 'auditor', ttlSeconds: -120 });
    await expect(verifier.verify(token)).rejects.toMatchObject({ kind: 'unauthenticated', message: expect.stringContaining('expired') });
  });

  it('refuses a token of another key (bad signature), another issuer or another audience', async () => {
    const other = await DevIssuer.open(mkdtempSync(join(tmpdir(), 'pcn-auth-other-')));
    await expect(verifier.verify(await other.sign({ role: 'auditor' }))).rejects.toMatchObject({ kind: 'unauthenticated' });
    const wrongAudience = new TokenVerifier({ issuer: DEV_ISSUER, audience: 'someone-else', keys: { jwks: issuer.jwks() } });
    await expect(wrongAudience.verify(await issuer.sign({ role: 'auditor' }))).rejects.toMatchObject({ message: expect.stringContaining('aud') });
    const wrongIssuer = new TokenVerifier({ issuer: 'urn:other', audience: DEV_AUDIENCE, keys: { jwks: issuer.jwks() } });
    await expect(wrongIssuer.verify(await issuer.sign({ role: 'auditor' }))).rejects.toMatchObject({ message: expect.stringContaining('iss') });
  });

  it('refuses a shared-secret (HS256) token even if it names the issuer', async () => {
    const token = await new SignJWT({ pcn_role: 'national_coordinator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a secret anyone could pick'));
    await expect(verifier.verify(token)).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('refuses a scoped role without its scope, and an unknown role', async () => {
    await expect(verifier.verify(await issuer.sign({ role: 'centre' }))).rejects.toMatchObject({ message: expect.stringContaining('pcn_finess') });
    await expect(verifier.verify(await issuer.sign({ role: 'superuser' as never }))).rejects.toMatchObject({ message: expect.stringContaining('pcn_role') });
  });
});

describe('TokenAuthenticator', () => {
  const authenticator = () => new TokenAuthenticator(verifier);

  it('needs "Bearer <token>"', async () => {
    await expect(authenticator().authenticate({})).rejects.toMatchObject({
      kind: 'unauthenticated',
      message: expect.stringContaining('bearer token is required'),
    });
    await expect(authenticator().authenticate({ authorization: 'Basic YTpi' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    const token = await issuer.sign({ role: 'billing' });
    await expect(authenticator().authenticate({ authorization: `Bearer ${token}` })).resolves.toMatchObject({ role: 'billing' });
  });

  it("takes a centre's identity from a client certificate naming its FINESS, when no token is sent", async () => {
    await expect(authenticator().authenticate({ peerCertificate: { subject: { CN: CENTRE } } })).resolves.toEqual({
      subject: `certificate:${CENTRE}`,
      role: 'centre',
      scope: { finess: CENTRE },
      via: 'certificate',
    });
    await expect(authenticator().authenticate({ peerCertificate: { subject: { CN: 'someone' } } })).rejects.toMatchObject({ kind: 'unauthenticated' });
  });
});
