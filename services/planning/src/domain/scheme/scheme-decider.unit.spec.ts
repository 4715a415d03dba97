import { deciderSpec } from '@pcn/eventsourcing/testing';
import { AlreadyExistsError, NotFoundError, ValidationError } from '@pcn/eventsourcing';
import { stagesFor, tally, type College, type Opinion, type Stage, type Vote } from './consultation';
import type { Proposal } from './proposal';
import type { SchemeCommand } from './scheme-commands';
import type { SchemeEvent } from './scheme-events';
import { schemeDecider, schemeStreamId } from './scheme-decider';

const spec = deciderSpec(schemeDecider);
const territory = { level: 'departement' as const, code: '01' };
const drafted: SchemeEvent = { type: 'SchemeDrafted', data: { schemeId: 'ain-2027', territory, title: 'Schéma de l’Ain 2027', draftedBy: 'coord@ars-ara' } };
const openCentre: Proposal = {
  proposalId: 'p1',
  kind: 'open-centre',
  communeCode: '01004',
  staffing: [
    { profession: 'general-practitioner', fte: 3 },
    { profession: 'nurse', fte: 2 },
  ],
};
const strengthen: Proposal = {
  proposalId: 'p2',
  kind: 'strengthen-centre',
  centreFiness: '010000024',
  staffing: [{ profession: 'general-practitioner', fte: 1 }],
};
/** The day the proposals of these tests are made. */
const PROPOSED_ON = '2027-01-15';
const added = (proposal: Proposal, addedOn = PROPOSED_ON): SchemeEvent => ({ type: 'ProposalAdded', data: { proposal, addedBy: 'coord@ars-ara', addedOn } });
const opened = (stage: Stage, round = 1): SchemeEvent => ({ type: 'ConsultationStageOpened', data: { stage, round, openedBy: 'coord@ars-ara' } });
const opinion = (college: College, participant: string, vote: Vote, text = ''): SchemeEvent => ({
  type: 'OpinionSubmitted',
  data: { stage: 'local', college, participant, vote, opinion: text },
});
const submit = (stage: Stage, college: College, participant: string, vote: Vote, text = ''): SchemeCommand => ({
  type: 'SubmitOpinion',
  stage,
  college,
  participant,
  vote,
  opinion: text,
});
const favourableEverywhere = (stage: Stage): SchemeEvent[] =>
  (['users', 'elected-officials', 'professionals'] as const).map((college) => ({
    type: 'OpinionSubmitted',
    data: { stage, college, participant: `${college}-1`, vote: 'favourable', opinion: '' },
  }));
const close = (stage: Stage): SchemeCommand => ({ type: 'CloseConsultationStage', stage, closedBy: 'coord@ars-ara' });
const unanimous = tally(favourableEverywhere('local').map((e) => e.data as Opinion));
const approved = (stage: Stage, round = 1): SchemeEvent => ({
  type: 'ConsultationStageApproved',
  data: { stage, round, tally: unanimous, closedBy: 'coord@ars-ara' },
});
const adopted: SchemeEvent = { type: 'SchemeAdopted', data: { schemeId: 'ain-2027', territory, proposals: [openCentre, strengthen], adoptedAfterRound: 1 } };
const inDraft = [drafted, added(openCentre), added(strengthen)];
const adoptedHistory = [
  ...inDraft,
  opened('local'),
  ...favourableEverywhere('local'),
  approved('local'),
  opened('departemental'),
  ...favourableEverywhere('departemental'),
  approved('departemental'),
  adopted,
];

describe('drafting a scheme', () => {
  it('drafts a scheme for a territory, on stream scheme-{id}', () => {
    spec.given([]).when({ type: 'DraftScheme', schemeId: 'ain-2027', territory, title: 'Schéma de l’Ain 2027', draftedBy: 'coord@ars-ara' }).then([drafted]);
    expect(schemeStreamId('ain-2027')).toBe('scheme-ain-2027');
  });

  it('refuses a scheme drafted twice', () =>
    spec.given([drafted]).when({ type: 'DraftScheme', schemeId: 'ain-2027', territory, title: 'again', draftedBy: 'x' }).thenThrows(AlreadyExistsError));

  it('refuses a territory that is not a département, région or the nation, on its field', () => {
    spec
      .given([])
      .when({ type: 'DraftScheme', schemeId: 's', territory: { level: 'commune' as 'nation', code: '01004' }, title: 't', draftedBy: 'x' })
      .thenThrows({ violations: [{ field: 'territory.level', description: expect.stringContaining('departement, region, nation') }] });
    spec
      .given([])
      .when({ type: 'DraftScheme', schemeId: 's', territory: { level: 'region', code: '1' }, title: '', draftedBy: 'x' })
      .thenThrows({ violations: [{ field: 'title' }, { field: 'territory.code' }] });
  });

  it('adds proposals to open a centre with target staffing, or to strengthen one', () => {
    spec
      .given([drafted])
      .when({ type: 'AddProposal', proposal: openCentre, addedBy: 'coord@ars-ara', addedOn: PROPOSED_ON })
      .then([added(openCentre)]);
    spec
      .given([drafted, added(openCentre)])
      .when({ type: 'AddProposal', proposal: strengthen, addedBy: 'coord@ars-ara', addedOn: PROPOSED_ON })
      .then([added(strengthen)]);
  });

  it('refuses a proposal id twice, an empty staffing and a malformed commune', () => {
    spec
      .given([drafted, added(openCentre)])
      .when({ type: 'AddProposal', proposal: openCentre, addedBy: 'x', addedOn: PROPOSED_ON })
      .thenThrows(AlreadyExistsError);
    spec
      .given([drafted])
      .when({ type: 'AddProposal', proposal: { ...openCentre, communeCode: '1004', staffing: [] }, addedBy: 'x', addedOn: PROPOSED_ON })
      .thenThrows({ violations: [{ field: 'proposal.communeCode' }, { field: 'proposal.staffing' }] });
    spec
      .given([drafted])
      .when({ type: 'AddProposal', proposal: { ...openCentre, staffing: [{ profession: 'nurse', fte: 0 }] }, addedBy: 'x', addedOn: PROPOSED_ON })
      .thenThrows({ violations: [{ field: 'proposal.staffing[0].fte' }] });
  });

  it('removes a proposal while in draft', () => {
    spec
      .given(inDraft)
      .when({ type: 'RemoveProposal', proposalId: 'p2', removedBy: 'x' })
      .then([{ type: 'ProposalRemoved', data: { proposalId: 'p2', removedBy: 'x' } }]);
    spec.given(inDraft).when({ type: 'RemoveProposal', proposalId: 'p9', removedBy: 'x' }).thenThrows(NotFoundError);
  });

  it('refuses a command on a scheme never drafted', () =>
    spec.given([]).when({ type: 'AddProposal', proposal: openCentre, addedBy: 'x', addedOn: PROPOSED_ON }).thenThrows(NotFoundError));
});

describe('consultation stages', () => {
  it('stop at the scheme’s own level', () => {
    expect(stagesFor('departement')).toEqual(['local', 'departemental']);
    expect(stagesFor('region')).toEqual(['local', 'departemental', 'regional']);
    expect(stagesFor('nation')).toEqual(['local', 'departemental', 'regional', 'national']);
  });

  it('open bottom up, starting a round at the local stage', () => {
    spec
      .given(inDraft)
      .when({ type: 'OpenConsultationStage', stage: 'local', openedBy: 'coord@ars-ara' })
      .then([opened('local')]);
    spec
      .given(inDraft)
      .when({ type: 'OpenConsultationStage', stage: 'departemental', openedBy: 'x' })
      .thenThrows({ kind: 'failed_precondition', message: expect.stringContaining('next stage of scheme ain-2027 is local') });
  });

  it('refuses a stage above the scheme’s level', () =>
    spec
      .given([...inDraft, opened('local'), ...favourableEverywhere('local'), approved('local')])
      .when({ type: 'OpenConsultationStage', stage: 'regional', openedBy: 'x' })
      .thenThrows({ message: 'a scheme for a departement stops at the departemental stage, not regional' }));

  it('refuses to consult on an empty scheme, or to open a stage while another is open', () => {
    spec
      .given([drafted])
      .when({ type: 'OpenConsultationStage', stage: 'local', openedBy: 'x' })
      .thenThrows({ message: expect.stringContaining('no proposal') });
    spec
      .given([...inDraft, opened('local')])
      .when({ type: 'OpenConsultationStage', stage: 'local', openedBy: 'x' })
      .thenThrows({ message: expect.stringContaining('the local stage is still open') });
  });

  it('takes opinions from the three colleges at the open stage only', () => {
    spec
      .given([...inDraft, opened('local')])
      .when(submit('local', 'users', 'asso-usagers-01', 'favourable', 'Enfin un centre à Ambérieu.'))
      .then([opinion('users', 'asso-usagers-01', 'favourable', 'Enfin un centre à Ambérieu.')]);
    spec
      .given([...inDraft, opened('local')])
      .when(submit('departemental', 'users', 'u', 'favourable'))
      .thenThrows({ message: expect.stringContaining('the local stage is open') });
    spec
      .given(inDraft)
      .when(submit('local', 'users', 'u', 'favourable'))
      .thenThrows({ message: expect.stringContaining('no stage is open') });
  });

  it('requires an unfavourable opinion to say why, and a known college and vote', () => {
    spec
      .given([...inDraft, opened('local')])
      .when(submit('local', 'mayors' as College, 'u', 'unfavourable', ''))
      .thenThrows(ValidationError);
    spec
      .given([...inDraft, opened('local')])
      .when(submit('local', 'users', 'u', 'unfavourable', '  '))
      .thenThrows({ violations: [{ field: 'opinion', description: 'is required' }] });
  });

  it('approves a stage when every college has a favourable majority', () =>
    spec
      .given([...inDraft, opened('local'), ...favourableEverywhere('local')])
      .when(close('local'))
      .then([approved('local')]));

  it('adopts the scheme when its last stage is approved', () =>
    spec
      .given([
        ...inDraft,
        opened('local'),
        ...favourableEverywhere('local'),
        approved('local'),
        opened('departemental'),
        ...favourableEverywhere('departemental'),
      ])
      .when(close('departemental'))
      .then([approved('departemental'), adopted]));

  it('sends the scheme back to draft with the objections when one college has no majority', () => {
    const votes = [
      ...favourableEverywhere('local'),
      opinion('elected-officials', 'mairie-ambérieu', 'unfavourable', 'Le centre doit aller à Lagnieu.'),
      opinion('elected-officials', 'mairie-belley', 'abstention'),
    ];
    const counts = tally(votes.map((e) => e.data as Opinion));
    expect(counts.find((c) => c.college === 'elected-officials')).toEqual({
      college: 'elected-officials',
      favourable: 1,
      unfavourable: 1,
      abstention: 1,
      approves: false,
    });
    spec
      .given([...inDraft, opened('local'), ...votes])
      .when(close('local'))
      .then([
        { type: 'ConsultationStageRejected', data: { stage: 'local', round: 1, tally: counts, closedBy: 'coord@ars-ara' } },
        {
          type: 'SchemeReturnedToDraft',
          data: {
            stage: 'local',
            objections: [{ stage: 'local', college: 'elected-officials', participant: 'mairie-ambérieu', opinion: 'Le centre doit aller à Lagnieu.' }],
          },
        },
      ]);
  });

  it('counts a college that said nothing as an objection', () => {
    const votes = favourableEverywhere('local').filter((e) => (e.data as Opinion).college !== 'professionals');
    const result = schemeDecider.decide(close('local'), [...inDraft, opened('local'), ...votes].reduce(schemeDecider.evolve, schemeDecider.initialState()));
    expect(result[1]).toEqual({
      type: 'SchemeReturnedToDraft',
      data: { stage: 'local', objections: [{ stage: 'local', college: 'professionals', opinion: 'no opinion given by this college' }] },
    });
  });

  it('counts the last opinion of a participant who changed their mind', () =>
    spec
      .given([
        ...inDraft,
        opened('local'),
        ...favourableEverywhere('local'),
        opinion('users', 'users-1', 'unfavourable', 'Trop loin.'),
        opinion('users', 'users-1', 'favourable'),
      ])
      .when(close('local'))
      .then([approved('local')]));

  it('after a return to draft, lets proposals change and restarts at the local stage in a new round', () => {
    const rejected = [
      ...inDraft,
      opened('local'),
      opinion('users', 'u', 'unfavourable', 'non'),
      { type: 'ConsultationStageRejected', data: { stage: 'local', round: 1, tally: [], closedBy: 'x' } } as SchemeEvent,
      { type: 'SchemeReturnedToDraft', data: { stage: 'local', objections: [] } } as SchemeEvent,
    ];
    spec
      .given(rejected)
      .when({ type: 'RemoveProposal', proposalId: 'p1', removedBy: 'x' })
      .then([{ type: 'ProposalRemoved', data: { proposalId: 'p1', removedBy: 'x' } }]);
    spec
      .given(rejected)
      .when({ type: 'OpenConsultationStage', stage: 'local', openedBy: 'coord@ars-ara' })
      .then([opened('local', 2)]);
  });

  it('freezes proposals once the consultation has begun', () =>
    spec
      .given([...inDraft, opened('local')])
      .when({ type: 'AddProposal', proposal: { ...openCentre, proposalId: 'p3' }, addedBy: 'x', addedOn: PROPOSED_ON })
      .thenThrows({ kind: 'failed_precondition', message: expect.stringContaining('is consulting') }));
});

describe('fulfilment', () => {
  const accredited = (centreFiness: string, communeCode: string, accreditedOn = '2028-03-01'): SchemeCommand => ({
    type: 'RecordCentreAccredited',
    centreFiness,
    communeCode,
    accreditedOn,
  });
  const fulfilled = (proposalId: string, centreFiness: string, accreditedOn = '2028-03-01', communeCode = '01004'): SchemeEvent => ({
    type: 'ProposalFulfilled',
    data: { proposalId, centreFiness, communeCode, accreditedOn },
  });

  it('marks an adopted proposal fulfilled when a centre is accredited in its commune', () =>
    spec
      .given(adoptedHistory)
      .when(accredited('010000123', '01004'))
      .then([fulfilled('p1', '010000123')]));

  it('changes nothing for another commune, a scheme not adopted, or the same centre seen again', () => {
    spec.given(adoptedHistory).when(accredited('010000123', '01053')).then([]);
    spec.given(inDraft).when(accredited('010000123', '01004')).then([]);
    spec
      .given([...adoptedHistory, fulfilled('p1', '010000123')])
      .when(accredited('010000123', '01004'))
      .then([]);
  });

  it('counts a centre accredited on or after the day the proposal was made, even during the consultation', () => {
    spec
      .given(adoptedHistory)
      .when(accredited('010000123', '01004', PROPOSED_ON))
      .then([fulfilled('p1', '010000123', PROPOSED_ON)]);
    // Accredited while the local stage was open, seen by the reconciliation once adopted.
    spec
      .given(adoptedHistory)
      .when(accredited('010000123', '01004', '2027-02-01'))
      .then([fulfilled('p1', '010000123', '2027-02-01')]);
  });

  it('does not count a centre that was already accredited when the proposal was made', () =>
    spec
      .given(adoptedHistory)
      .when(accredited('010000123', '01004', '2027-01-14'))
      .then([]));

  it('dates a proposal removed and added again from its new addition', () => {
    const readded = [
      drafted,
      added(openCentre, '2027-01-02'),
      { type: 'ProposalRemoved', data: { proposalId: 'p1', removedBy: 'x' } } as SchemeEvent,
      added(openCentre, '2027-03-01'),
      ...adoptedHistory.slice(3),
    ];
    spec
      .given(readded)
      .when(accredited('010000123', '01004', '2027-02-01'))
      .then([]);
    spec
      .given(readded)
      .when(accredited('010000123', '01004', '2027-03-01'))
      .then([fulfilled('p1', '010000123', '2027-03-01')]);
  });

  it('counts any accreditation for a proposal recorded before its day was kept', () => {
    const undated: SchemeEvent = { type: 'ProposalAdded', data: { proposal: openCentre, addedBy: 'coord@ars-ara' } };
    spec
      .given([drafted, undated, ...adoptedHistory.slice(2)])
      .when(accredited('010000123', '01004', '2001-01-01'))
      .then([fulfilled('p1', '010000123', '2001-01-01')]);
  });

  it('fulfils two proposals in one commune with two centres, one each, in the order of the scheme', () => {
    const second: Proposal = { ...openCentre, proposalId: 'p3' };
    const history = [...adoptedHistory.slice(0, 3), added(second), ...adoptedHistory.slice(3)];
    spec
      .given(history)
      .when(accredited('010000123', '01004'))
      .then([fulfilled('p1', '010000123')]);
    spec
      .given([...history, fulfilled('p1', '010000123')])
      .when(accredited('010000123', '01004'))
      .then([]);
    spec
      .given([...history, fulfilled('p1', '010000123')])
      .when(accredited('010000131', '01004'))
      .then([fulfilled('p3', '010000131')]);
  });

  it('refuses any consultation once adopted', () =>
    spec
      .given(adoptedHistory)
      .when({ type: 'OpenConsultationStage', stage: 'local', openedBy: 'x' })
      .thenThrows({ message: expect.stringContaining('is adopted') }));
});
