import type { Identity } from '@pcn/auth';
import type { Acting } from '../application/acting';

/**
 * Who acts, from the identity the access gate verified: a centre acts as its FINESS (one without
 * a FINESS matches no patient), the other roles as the gate let them through.
 */
export const actingOf = (identity: Identity | undefined): Acting => (identity?.role === 'centre' ? { centreFiness: identity.scope.finess ?? '' } : {});
