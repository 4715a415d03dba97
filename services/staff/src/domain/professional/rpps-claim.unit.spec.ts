import { deciderSpec } from '@pcn/eventsourcing/testing';
import { AlreadyExistsError } from '@pcn/eventsourcing';
import { rppsClaimDecider, rppsClaimStreamId, RppsTakenError, type RppsClaimEvent } from './rpps-claim';

const spec = deciderSpec(rppsClaimDecider);
const RPPS = '10003566546';
const claimed = (professionalId: string): RppsClaimEvent => ({ type: 'RppsClaimed', data: { rpps: RPPS, professionalId } });

describe('claiming an RPPS number for a hire', () => {
  it('records the professional who holds a number nobody holds', () =>
    spec
      .given([])
      .when({ type: 'ClaimRpps', rpps: RPPS, professionalId: 'pro-1' })
      .then([claimed('pro-1')]));

  it('records nothing when the holder claims it again (a replayed hire)', () =>
    spec
      .given([claimed('pro-1')])
      .when({ type: 'ClaimRpps', rpps: RPPS, professionalId: 'pro-1' })
      .then([]));

  it('refuses another professional as ALREADY_EXISTS, naming the holder', () => {
    spec
      .given([claimed('pro-1')])
      .when({ type: 'ClaimRpps', rpps: RPPS, professionalId: 'pro-2' })
      .thenThrows(AlreadyExistsError);
    spec
      .given([claimed('pro-1')])
      .when({ type: 'ClaimRpps', rpps: RPPS, professionalId: 'pro-2' })
      .thenThrows({ kind: 'already_exists', holder: 'pro-1', message: expect.stringContaining('professional pro-1') });
  });

  it('lives on the stream rpps-claim-{rpps}, outside every projected prefix', () => expect(rppsClaimStreamId(RPPS)).toBe(`rpps-claim-${RPPS}`));

  it('is an RppsTakenError carrying the number', () =>
    spec
      .given([claimed('pro-1')])
      .when({ type: 'ClaimRpps', rpps: RPPS, professionalId: 'pro-2' })
      .thenThrows(RppsTakenError));
});
