import { authorize } from './authorize';
import type { Identity } from './identity';
import { POLICY } from './policy-table';
import { regionOfFiness } from './region-of-finess';

const who = (role: Identity['role'], scope: Identity['scope'] = {}): Identity => ({ subject: 's', role, scope, via: 'token' });
const fields =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];

describe('authorize', () => {
  it('lets a listed role through and refuses the others', () => {
    expect(authorize(POLICY, who('national_coordinator'), 'staff.PublishPayGrid', fields({})).identity.role).toBe('national_coordinator');
    expect(() => authorize(POLICY, who('auditor'), 'staff.PublishPayGrid', fields({}))).toThrow('role auditor may not call staff.PublishPayGrid');
  });

  it('refuses an operation without a policy entry', () => {
    expect(() => authorize(POLICY, who('national_coordinator'), 'billing.NoSuchOperation', fields({}))).toThrow('has no entry in the access policy');
  });

  it("keeps a centre to its FINESS and a regional coordinator to its région's centres", () => {
    const centre = who('centre', { finess: '930000017' });
    expect(() => authorize(POLICY, centre, 'attribution.GetCentreRoster', fields({ finess: '930000017' }))).not.toThrow();
    expect(() => authorize(POLICY, centre, 'attribution.GetCentreRoster', fields({ finess: '690000031' }))).toThrow('outside your scope');
    expect(() => authorize(POLICY, centre, 'attribution.GetCentreRoster', fields({}))).toThrow('must name a finess');
    const idf = who('regional_coordinator', { region: '11' });
    expect(() => authorize(POLICY, idf, 'registry.AccreditCentre', fields({ finess: '750000025' }))).not.toThrow();
    expect(() => authorize(POLICY, idf, 'registry.AccreditCentre', fields({ finess: '690000031' }))).toThrow('outside your scope');
  });

  it('keeps a professional to their own RPPS', () => {
    const gp = who('professional', { rpps: '10003456789' });
    expect(() => authorize(POLICY, gp, 'attribution.GetPanel', fields({ rpps: '10003456789' }))).not.toThrow();
    expect(() => authorize(POLICY, gp, 'attribution.GetPanel', fields({ rpps: '10009999999' }))).toThrow('outside your scope');
  });

  it('never lets an auditor look a patient up by NIR', () => {
    expect(() => authorize(POLICY, who('auditor'), 'attribution.LookupPatient', fields({}))).toThrow('may not call');
  });
});

describe('regionOfFiness', () => {
  it('reads the département prefix, Corsica and overseas included', () => {
    expect(regionOfFiness('930000017')).toBe('11');
    expect(regionOfFiness('2A0000017')).toBe('94');
    expect(regionOfFiness('974000017')).toBe('04');
    expect(regionOfFiness('000000017')).toBeUndefined();
  });
});
