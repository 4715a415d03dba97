import { fulfils, type AccreditedCentre } from './fulfilment';
import type { Proposal } from './proposal';

const staffing = [{ profession: 'general-practitioner', fte: 2 }];
const openIn01004: Proposal = { proposalId: 'p1', kind: 'open-centre', communeCode: '01004', staffing };
const centre = (accreditedOn: string, communeCode = '01004'): AccreditedCentre => ({ centreFiness: '010000123', communeCode, accreditedOn });

describe('a centre fulfils a proposal to open one', () => {
  it('when it is in the proposed commune and accredited on or after the day of the proposal', () => {
    expect(fulfils(openIn01004, '2027-01-15', centre('2027-01-15'))).toBe(true);
    expect(fulfils(openIn01004, '2027-01-15', centre('2028-06-30'))).toBe(true);
  });

  it('not when it was accredited before the proposal, nor elsewhere', () => {
    expect(fulfils(openIn01004, '2027-01-15', centre('2027-01-14'))).toBe(false);
    expect(fulfils(openIn01004, '2027-01-15', centre('2027-02-01', '01053'))).toBe(false);
  });

  it('never for a proposal to strengthen a centre, even that one', () => {
    const strengthen: Proposal = { proposalId: 'p2', kind: 'strengthen-centre', centreFiness: '010000123', staffing };
    expect(fulfils(strengthen, '2027-01-15', centre('2027-02-01'))).toBe(false);
  });

  it('whatever its day when the proposal was recorded without one', () => expect(fulfils(openIn01004, undefined, centre('1999-01-01'))).toBe(true));
});
