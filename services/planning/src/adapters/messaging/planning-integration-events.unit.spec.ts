import { CommuneDirectory } from '@pcn/referential';
import { TestClock } from '@pcn/eventsourcing/testing';
import { InMemoryEventStore, type RecordedEvent } from '@pcn/eventsourcing';
import { PLANNING_TOPIC, planningReader, type ReceivedMessage } from '@pcn/messaging';
import { referenceCatalogue, referencePlaces } from '../../application/reference-territories';
import { Schemes } from '../../application/schemes';
import type { College, Vote } from '../../domain/scheme';
import { planningEventMapper } from './planning-integration-events';

const clock = new TestClock(new Date('2026-12-06T05:00:00Z'));

const catalogue = referenceCatalogue(referencePlaces(CommuneDirectory.shared()).filter((place) => place.departement === '01'));
const as = { context: { actor: 'national_coordinator:zoe' } };
const openCentre = { proposalId: 'p1', kind: 'open-centre' as const, communeCode: '01004', staffing: [{ profession: 'general-practitioner', fte: 3 }] };
const strengthen = { proposalId: 'p2', kind: 'strengthen-centre' as const, centreFiness: '010000016', staffing: [{ profession: 'nurse', fte: 1.5 }] };

async function consult(schemes: Schemes, stage: 'local' | 'departemental', votes: Record<College, Vote>): Promise<void> {
  await schemes.openStage('ain-2027', stage, as);
  for (const [college, vote] of Object.entries(votes) as [College, Vote][])
    await schemes.submitOpinion('ain-2027', { stage, college, participant: `${college}-1`, vote, opinion: vote === 'unfavourable' ? 'too far' : '' }, as);
  await schemes.closeStage('ain-2027', stage, as);
}
const ALL_FOR: Record<College, Vote> = { users: 'favourable', 'elected-officials': 'favourable', professionals: 'favourable' };

/** A département's scheme drafted, rejected once, adopted, then fulfilled: every event type of a scheme. */
async function schemeHistory(): Promise<RecordedEvent[]> {
  const store = new InMemoryEventStore();
  const schemes = new Schemes(store, catalogue, clock);
  await schemes.draft({ schemeId: 'ain-2027', territory: { level: 'departement', code: '01' }, title: 'Schéma de l’Ain' }, as);
  await schemes.addProposal('ain-2027', openCentre, as);
  await schemes.addProposal('ain-2027', strengthen, as);
  await schemes.removeProposal('ain-2027', 'p2', as);
  await consult(schemes, 'local', { ...ALL_FOR, users: 'unfavourable' });
  await consult(schemes, 'local', ALL_FOR);
  await consult(schemes, 'departemental', ALL_FOR);
  await schemes.recordCentreAccredited(
    { centreFiness: '010000024', communeCode: '01004', accreditedOn: '2027-03-01' },
    { openingIn: async () => ['ain-2027'] },
    { actor: 'planning' },
  );
  return store.readStream('scheme-ain-2027');
}

async function published(event: RecordedEvent): Promise<ReceivedMessage> {
  const out = await planningEventMapper()(event);
  return { ...out!.message, topic: out!.topic, partition: 0, offset: String(event.revision), attempt: 1 };
}

describe('the pcn.planning.v1 mapper', () => {
  it('publishes every step of a scheme keyed by the scheme, readable by the topic reader, without who performed it', async () => {
    const history = await schemeHistory();
    const messages = await Promise.all(history.map(published));
    expect(messages.every((m) => m.topic === PLANNING_TOPIC && m.key === 'ain-2027' && m.source === '/pcn/planning')).toBe(true);
    expect(messages.map((m) => m.id)).toEqual(history.map((e) => e.id));
    const read = messages.map((m) => planningReader.read(m)!);
    expect(read.map((r) => r.type)).toEqual([
      'SchemeDrafted',
      'ProposalAdded',
      'ProposalAdded',
      'ProposalRemoved',
      'ConsultationStageOpened',
      'OpinionSubmitted',
      'OpinionSubmitted',
      'OpinionSubmitted',
      'ConsultationStageClosed',
      'SchemeReturnedToDraft',
      'ConsultationStageOpened',
      'OpinionSubmitted',
      'OpinionSubmitted',
      'OpinionSubmitted',
      'ConsultationStageClosed',
      'ConsultationStageOpened',
      'OpinionSubmitted',
      'OpinionSubmitted',
      'OpinionSubmitted',
      'ConsultationStageClosed',
      'SchemeAdopted',
      'ProposalFulfilled',
    ]);
    expect(read[0]!.event).toEqual({
      schemeId: 'ain-2027',
      territory: { level: 'departement', code: '01' },
      title: 'Schéma de l’Ain',
      occurredAt: new Date(history[0]!.metadata.occurredAt),
    });
    expect(read[2]!.event).toMatchObject({
      proposal: { proposalId: 'p2', kind: 'strengthen-centre', centreFiness: '010000016', communeCode: '', staffing: [{ profession: 'nurse', fte: 1.5 }] },
    });
    expect(read[5]!.event).toMatchObject({ stage: 'local', opinion: { college: 'users', participant: 'users-1', vote: 'unfavourable', opinion: 'too far' } });
    expect(read[8]!.event).toMatchObject({
      stage: 'local',
      round: 1,
      approved: false,
      tally: expect.arrayContaining([{ college: 'users', favourable: 0, unfavourable: 1, abstention: 0, approves: false }]),
    });
    expect(read[9]!.event).toMatchObject({ stage: 'local', objections: [{ stage: 'local', college: 'users', participant: 'users-1', opinion: 'too far' }] });
    expect(read[14]!.event).toMatchObject({ stage: 'local', round: 2, approved: true });
    expect(read[20]!.event).toMatchObject({
      territory: { level: 'departement', code: '01' },
      proposals: [{ proposalId: 'p1', kind: 'open-centre', communeCode: '01004' }],
      adoptedAfterRound: 2,
    });
    expect(read[21]!.event).toMatchObject({
      schemeId: 'ain-2027',
      proposalId: 'p1',
      centreFiness: '010000024',
      communeCode: '01004',
      accreditedOn: '2027-03-01',
    });
    // Who drafted, proposed, opened or closed stays in planning's log.
    expect(messages.some((m) => Buffer.from(m.data).includes('national_coordinator:zoe'))).toBe(false);
  });

  it('publishes nothing of a stream that is not a scheme', async () => {
    const [drafted] = await schemeHistory();
    expect(await planningEventMapper()({ ...drafted!, streamId: 'other-1' })).toBeUndefined();
  });
});
