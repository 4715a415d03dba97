import { validateFiness } from '@pcn/referential';
import type { Identity } from './identity';

/** The subject of a verified client certificate, as Node's TLS reports it. */
export interface PeerCertificateLike {
  readonly subject?: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * A centre's software over mutual TLS: the certificate (already verified against the configured
 * CA by the TLS layer) names the centre by its FINESS in the subject's common name.
 * Undefined when the certificate names no valid FINESS.
 */
export function identityOfCertificate(certificate: PeerCertificateLike): Identity | undefined {
  const cn = certificate.subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name || !validateFiness(name).ok) return undefined;
  return { subject: `certificate:${name}`, role: 'centre', scope: { finess: name }, via: 'certificate' };
}
