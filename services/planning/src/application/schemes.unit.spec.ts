import { CommuneDirectory } from '@pcn/referential';
import { TestClock } from '@pcn/eventsourcing/testing';
import { ConcurrencyError, InMemoryEventStore, NotFoundError, PermissionDeniedError } from '@pcn/eventsourcing';
import { referenceCatalogue, referencePlaces } from './reference-territories';
import { Schemes } from './schemes';
import type { College } from '../domain/scheme';

const clock = new TestClock(new Date('2026-12-06T05:00:00Z'));

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
    const schemes = new Schemes(store, catalogue, clock);
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
    const schemes = new Schemes(new InMemoryEventStore(), catalogue, clock);
    await expect(schemes.draft({ schemeId: 's', territory: { level: 'departement', code: '75' }, title: 't' })).rejects.toMatchObject({
      violations: [{ field: 'territory.code', description: 'no departement has the code "75"' }],
    });
    await schemes.draft({ schemeId: 'ain', territory: { level: 'departement', code: '01' }, title: 'Ain' });
    await expect(schemes.addProposal('ain', { ...openCentre, communeCode: '69381' })).rejects.toMatchObject({
      violations: [{ field: 'proposal.communeCode', description: "69381 is not a commune of the scheme's departement 01" }],
    });
  });

  it('names the scheme it cannot find, and refuses a write on a stale version', async () => {
    const schemes = new Schemes(new InMemoryEventStore(), catalogue, clock);
    await expect(schemes.openStage('missing', 'local')).rejects.toEqual(new NotFoundError('scheme', 'missing'));
    await schemes.draft({ schemeId: 'ain', territory: { level: 'departement', code: '01' }, title: 'Ain' });
    await schemes.addProposal('ain', openCentre, { expectedVersion: 0 });
    await expect(schemes.removeProposal('ain', 'p1', { expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
  });
});

describe('a centre accredited, seen by the registry consumer and by the reconciliation at adoption', () => {
  async function adoptedAin(store: InMemoryEventStore): Promise<Schemes> {
    const schemes = new Schemes(store, catalogue, clock);
    await schemes.draft({ schemeId: 'ain', territory: { level: 'departement', code: '01' }, title: 'Ain' });
    await schemes.addProposal('ain', openCentre);
    for (const stage of ['local', 'departemental'] as const) {
      await schemes.openStage('ain', stage);
      await everyCollegeVotes(schemes, 'ain', stage);
      await schemes.closeStage('ain', stage);
    }
    return schemes;
  }
  const centre = { centreFiness: '010000040', communeCode: '01004', accreditedOn: '2026-12-20' };
  const adopted = { openingIn: async (commune: string) => (commune === '01004' ? ['ain'] : []) };
  const known = (...centres: (typeof centre)[]) => ({ accreditedIn: async () => centres });

  it('dates each proposal with the day it is added', async () => {
    const schemes = await adoptedAin(new InMemoryEventStore());
    expect((await schemes.get('ain')).scheme.proposedOn).toEqual({ p1: '2026-12-06' });
  });

  it('marks the proposal fulfilled once when both paths race, and again and again', async () => {
    const store = new InMemoryEventStore();
    const schemes = await adoptedAin(store);
    await Promise.all([
      schemes.recordCentreAccredited(centre, adopted, { actor: 'planning' }),
      schemes.reconcileAdoption('ain', known(centre), { actor: 'planning' }),
      schemes.recordCentreAccredited(centre, adopted),
      schemes.reconcileAdoption('ain', known(centre)),
    ]);
    expect(await schemes.reconcileAdoption('ain', known(centre))).toEqual([]);
    const fulfilled = (await store.readStream('scheme-ain')).filter((e) => e.type === 'ProposalFulfilled');
    expect(fulfilled.map((e) => e.data)).toEqual([{ proposalId: 'p1', ...centre }]);
  });

  it('fulfils with the earliest centre accredited since the proposal, not with one there before', async () => {
    const schemes = await adoptedAin(new InMemoryEventStore());
    const before = { ...centre, centreFiness: '010000032', accreditedOn: '2025-06-01' };
    expect(await schemes.reconcileAdoption('ain', known(before, centre, { ...centre, centreFiness: '010000057', accreditedOn: '2027-01-02' }))).toEqual(['p1']);
    expect((await schemes.get('ain')).scheme.fulfilled).toEqual({ p1: { centreFiness: centre.centreFiness, accreditedOn: centre.accreditedOn } });
  });

  it('leaves a scheme not yet adopted to its adoption', async () => {
    const schemes = new Schemes(new InMemoryEventStore(), catalogue, clock);
    await schemes.draft({ schemeId: 'ain', territory: { level: 'departement', code: '01' }, title: 'Ain' });
    await schemes.addProposal('ain', openCentre);
    expect(await schemes.reconcileAdoption('ain', known(centre))).toEqual([]);
  });
});

describe('a regional coordinator runs the schemes of its région', () => {
  // Auvergne-Rhône-Alpes (84, with the Ain, 01) and Île-de-France (11, with Paris, 75).
  const twoRegions = referenceCatalogue(referencePlaces(CommuneDirectory.shared()).filter((place) => place.region === '84' || place.region === '11'));
  const regional = (region: string) => ({ context: { actor: `regional_coordinator:ars@${region}` }, actingRegion: region });

  it('drafts and runs a scheme for its région or one of its départements', async () => {
    const store = new InMemoryEventStore();
    const schemes = new Schemes(store, twoRegions, clock);
    await schemes.draft({ schemeId: 'ain', territory: { level: 'departement', code: '01' }, title: 'Ain' }, regional('84'));
    await schemes.draft({ schemeId: 'ara', territory: { level: 'region', code: '84' }, title: 'ARA' }, regional('84'));
    await schemes.addProposal('ain', openCentre, regional('84'));
    await schemes.removeProposal('ain', 'p1', regional('84'));
    await schemes.addProposal('ain', openCentre, regional('84'));
    await schemes.openStage('ain', 'local', regional('84'));
    await schemes.submitOpinion('ain', { stage: 'local', college: 'users', participant: 'u', vote: 'favourable', opinion: '' }, regional('84'));
    const { scheme } = await schemes.closeStage('ain', 'local', regional('84'));
    // One college of three approves: the stage is rejected and the scheme is back in draft.
    expect(scheme).toMatchObject({ status: 'draft', round: 1 });
    expect((await store.readStream('scheme-ain'))[0]!.data).toMatchObject({ draftedBy: 'regional_coordinator:ars@84' });
  });

  it('refuses, writing nothing, a scheme of another région, of a département of another région, or of the nation', async () => {
    const store = new InMemoryEventStore();
    const schemes = new Schemes(store, twoRegions, clock);
    for (const territory of [
      { level: 'region' as const, code: '11' },
      { level: 'departement' as const, code: '75' },
      { level: 'nation' as const, code: 'FR' },
    ]) {
      await expect(schemes.draft({ schemeId: `s-${territory.code}`, territory, title: 't' }, regional('84'))).rejects.toBeInstanceOf(PermissionDeniedError);
    }
    await expect(schemes.draft({ schemeId: 'paris', territory: { level: 'departement', code: '75' }, title: 'Paris' }, regional('84'))).rejects.toThrow(
      'a regional coordinator of région 84 runs the schemes of its région and of its départements only, not of departement 75 (région 11)',
    );
    expect(await store.headPosition()).toBe(0);

    await schemes.draft({ schemeId: 'ain', territory: { level: 'departement', code: '01' }, title: 'Ain' }, as('national_coordinator:zoe'));
    await schemes.addProposal('ain', openCentre, as('national_coordinator:zoe'));
    await schemes.openStage('ain', 'local', as('national_coordinator:zoe'));
    const head = await store.headPosition();
    const idf = regional('11');
    const refusals = [
      schemes.addProposal('ain', { ...openCentre, proposalId: 'p2' }, idf),
      schemes.removeProposal('ain', 'p1', idf),
      schemes.openStage('ain', 'departemental', idf),
      schemes.submitOpinion('ain', { stage: 'local', college: 'users', participant: 'u', vote: 'favourable', opinion: '' }, idf),
      schemes.closeStage('ain', 'local', idf),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(await store.headPosition()).toBe(head);
  });
});
