import { centreStatusOn, type CentreLifecycle } from './centre-membership';

describe('the status of a centre on a day, from the registry’s dates', () => {
  const given = (centre: CentreLifecycle) => ({ on: (day: string) => centreStatusOn(centre, day) });

  it('makes a centre accredited in advance a member only from its accreditation date', () => {
    const accreditedInAdvance = given({ status: 'candidate', memberSince: '2027-01-05' });
    expect(accreditedInAdvance.on('2026-12-06')).toBe('candidate');
    expect(accreditedInAdvance.on('2027-01-04')).toBe('candidate');
    expect(accreditedInAdvance.on('2027-01-05')).toBe('member');
  });

  it('does not make a member of a day before its membership started', () => {
    const member = given({ status: 'member', memberSince: '2026-12-06' });
    expect(member.on('2026-11-26')).toBe('candidate');
    expect(member.on('2026-12-06')).toBe('member');
  });

  it('closes a centre from its closure date, and before it keeps the membership dates', () => {
    const closing = given({ status: 'closed', memberSince: '2026-03-01', closedOn: '2026-06-30' });
    expect(closing.on('2026-02-28')).toBe('candidate');
    expect(closing.on('2026-06-29')).toBe('member');
    expect(closing.on('2026-06-30')).toBe('closed');
    expect(given({ status: 'closed', closedOn: '2026-06-30', memberSince: undefined }).on('2026-06-29')).toBe('member');
  });

  it('holds a suspension whatever the day', () => {
    expect(given({ status: 'suspended', memberSince: '2026-03-01' }).on('2026-04-01')).toBe('suspended');
  });

  it('takes the status as it is when the registry gave no membership date', () => {
    expect(given({ status: 'member' }).on('2020-01-01')).toBe('member');
    expect(given({ status: 'candidate' }).on('2030-01-01')).toBe('candidate');
  });
});
