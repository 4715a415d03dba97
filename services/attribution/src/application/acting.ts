/**
 * Who acts, as far as the attribution rules need to know: the FINESS of a calling centre, from
 * its verified identity (token or client certificate). Absent for the other roles, which the
 * access gate has already checked. The domain's centre-scope rules compare it with the patient's
 * or the proposal's centre (docs/adr/0024).
 */
export interface Acting {
  readonly centreFiness?: string;
}

/**
 * The command field naming the calling centre, when a centre calls. It goes into the request's
 * fingerprint too: a retry under an idempotency key is answered without deciding again, so
 * another centre reusing the key must not match the first centre's request.
 */
export const actingCentre = (acting: Acting): { readonly actingCentreFiness?: string } =>
  acting.centreFiness !== undefined ? { actingCentreFiness: acting.centreFiness } : {};
