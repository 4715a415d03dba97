import { CommuneDirectory } from '@pcn/referential';
import { ConcurrencyError, InMemoryEventStore, NotFoundError } from '@pcn/eventsourcing';
import { referenceCatalogue, referencePlaces } from './reference-territories';
import { Schemes } from './schemes';
import type { College } from '../domain/scheme';

const catalogue = referenceCatalogue(referencePlaces(CommuneDirectory.shared()).filter((place) => place.region === '84'));
const as = (actor: string) => ({ context: { actor } });
const openCentre = { proposalId: 'p1', kind: 'open-centre' as const, communeCode: '01004', staffing: [{ profession: 'general-practitioner', fte: 3 }] };

async function everyCollegeVotes(schemes: Schemes, schemeId: string, stage: 'local' | 'departemental' | 'regional'): Promise<void> {
  for (const college of ['users', 'elected-officials', 'professionals'] as College[]) {
    await schemes.submitOpinion(schemeId, { stage, college, participant: `${college}-1`, vote: 'favourable', opinion: '' });
  }
}

describe('schemes over the event store', () => {
  it('runs a régional scheme from draft to adoption, the actor recorded as its author', async () => {
    const store = new InMemoryEventStore();
    const schemes = new Schemes(store, catalogue);
    await schemes.draft({ schemeId: 'ara-2027', territory: { level: 'region', code: '84' }, title: 'Schéma ARA' }, as('coord@ars-ara'));
    await schemes.addProposal('ara-2027', openCentre, as('coord@ars-ara'));
    for (const stage of ['local', 'departemental', 'regional'] as const) {
      await schemes.openStage('ara-2027', stage, as('coord@ars-ara'));
      await everyCollegeVotes(schemes, 'ara-2027', stage);
      await schemes.closeStage('ara-2027', stage, as('coord@ars-ara'));
    }
    const { scheme, version } = await schemes.get('ara-2027');
    expect(scheme).toMatchObject({ status: 'adopted', approvedStages: ['local', 'departemental', 'regional'], round: 1 });
    const events = await store.readStream('scheme-ara-2027');
    expect(events.at(-1)!.type).toBe('SchemeAdopted');
    expect(events[0]!.data).toMatchObject({ draftedBy: 'coord@ars-ara' });
    expect(version).toBe(events.length - 1);
  });

  it('refuses an unknown territory, and a centre proposed outside the scheme’s territory', async () => {
    const schemes = new Schemes(new InMemoryEventStore(), catalogue);
    await expect(schemes.draft({ schemeId: 's', territory: { level: 'departement', code: '75' }, title: 't' })).rejects.toMatchObject({
      violations: [{ field: 'territory.code', description: 'no departement has the code "75"' }],
    });
    await schemes.draft({ schemeId: 'ain', territory: { level: 'departement', code: '01' }, title: 'Ain' });
    await expect(schemes.addProposal('ain', { ...openCentre, communeCode: '69381' })).rejects.toMatchObject({
      violations: [{ field: 'proposal.communeCode', description: "69381 is not a commune of the scheme's departement 01" }],
    });
  });

  it('names the scheme it cannot find, and refuses a write on a stale version', async () => {
    const schemes = new Schemes(new InMemoryEventStore(), catalogue);
    await expect(schemes.openStage('missing', 'local')).rejects.toEqual(new NotFoundError('scheme', 'missing'));
    await schemes.draft({ schemeId: 'ain', territory: { level: 'departement', code: '01' }, title: 'Ain' });
    await schemes.addProposal('ain', openCentre, { expectedVersion: 0 });
    await expect(schemes.removeProposal('ain', 'p1', { expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
  });
});
