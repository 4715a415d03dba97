import { deciderSpec } from '@pcn/eventsourcing/testing';
import { AlreadyExistsError, NotFoundError } from '@pcn/eventsourcing';
import { vacancyDecider, vacancyStreamId } from './vacancy-decider';
import type { VacancyCommand } from './vacancy-commands';
import type { VacancyEvent, VacancyPost } from './vacancy-events';
import type { Vacancy } from './vacancy-state';

const ID = 'vac-2026-0042';
const spec = deciderSpec(vacancyDecider);

const post: Extract<VacancyCommand, { type: 'PostVacancy' }> = {
  type: 'PostVacancy',
  vacancyId: ID,
  centreFiness: '930000013',
  profession: 'nurse',
  fte: 8000,
  startOn: '2026-09-01',
  postedBy: 'manager@cds-saint-denis',
};
const { type: _t, ...postedData } = post;
const { postedBy: _p, ...the } = postedData;
const vacancy: VacancyPost = the;
const posted: VacancyEvent = { type: 'VacancyPosted', data: postedData };
const fill = (professionalId: string, mobilityId?: string, filledOn = '2026-09-01'): VacancyCommand => ({
  type: 'FillVacancy',
  professionalId,
  ...(mobilityId && { mobilityId }),
  filledOn,
});
const filled = (professionalId: string, mobilityId?: string, filledOn = '2026-09-01'): VacancyEvent => ({
  type: 'VacancyFilled',
  data: { ...vacancy, professionalId, ...(mobilityId && { mobilityId }), filledOn },
});
const cancelled: VacancyEvent = { type: 'VacancyCancelled', data: { ...vacancy, reason: 'post merged into a full-time one', cancelledOn: '2026-07-15' } };
const lifecycle = (found: string) => ({
  kind: 'failed_precondition',
  violations: [{ type: 'LIFECYCLE', subject: 'status', description: expect.stringContaining(`found ${found}`) }],
});

describe('posting a vacancy', () => {
  it('records the post with its centre, profession, FTE and start date', () => spec.given([]).when(post).then([posted]));

  it('lives on the stream vacancy-{vacancyId}', () => expect(vacancyStreamId(ID)).toBe(`vacancy-${ID}`));

  it('refuses a vacancy id already posted', () => spec.given([posted]).when(post).thenThrows(AlreadyExistsError));

  it('accepts a full-time post and the smallest fraction of one', () => {
    spec
      .given([])
      .when({ ...post, fte: 10000 })
      .then([{ type: 'VacancyPosted', data: { ...postedData, fte: 10000 } }]);
    spec
      .given([])
      .when({ ...post, fte: 1 })
      .then([{ type: 'VacancyPosted', data: { ...postedData, fte: 1 } }]);
  });

  it.each([0, -5000, 10001, 7500.5, Number.NaN])('refuses an FTE of %p ten-thousandths on the fte field', (fte) =>
    spec
      .given([])
      .when({ ...post, fte })
      .thenThrows({ kind: 'invalid_argument', violations: [{ field: 'fte', description: expect.stringContaining('from 1 to 10000') }] }),
  );

  it.each(['2026-02-30', '01/09/2026', ''])('refuses a start date %p on the startOn field', (startOn) =>
    spec
      .given([])
      .when({ ...post, startOn })
      .thenThrows({ violations: [{ field: 'startOn', description: expect.stringContaining('YYYY-MM-DD') }] }),
  );

  it('reports every invalid field at once', () =>
    spec
      .given([])
      .when({ ...post, fte: 0, startOn: '2026-13-01' })
      .thenThrows({ violations: [expect.objectContaining({ field: 'fte' }), expect.objectContaining({ field: 'startOn' })] }));
});

describe('filling a vacancy', () => {
  it('records the professional and the mobility that fill it, repeating what the post was', () =>
    spec
      .given([posted])
      .when(fill('pro-1', 'mob-1'))
      .then([filled('pro-1', 'mob-1')]));

  it('records a hire, with no mobility', () =>
    spec
      .given([posted])
      .when(fill('pro-2', undefined, '2026-08-25'))
      .then([filled('pro-2', undefined, '2026-08-25')]));

  it('records nothing when the same professional and mobility fill it again (a replayed process manager)', () => {
    spec
      .given([posted, filled('pro-1', 'mob-1')])
      .when(fill('pro-1', 'mob-1'))
      .then([]);
    spec
      .given([posted, filled('pro-1', 'mob-1')])
      .when(fill('pro-1', 'mob-1', '2026-09-02'))
      .then([]);
    spec
      .given([posted, filled('pro-2')])
      .when(fill('pro-2'))
      .then([]);
  });

  it('refuses another professional, or the same one through another mobility, saying who filled it', () => {
    spec
      .given([posted, filled('pro-1', 'mob-1')])
      .when(fill('pro-9', 'mob-9'))
      .thenThrows({ ...lifecycle('filled'), message: expect.stringContaining('filled on 2026-09-01 by professional pro-1 (mobility mob-1)') });
    spec
      .given([posted, filled('pro-1', 'mob-1')])
      .when(fill('pro-1', 'mob-2'))
      .thenThrows(lifecycle('filled'));
    spec
      .given([posted, filled('pro-1', 'mob-1')])
      .when(fill('pro-1'))
      .thenThrows(lifecycle('filled'));
    spec
      .given([posted, filled('pro-1')])
      .when(fill('pro-1', 'mob-1'))
      .thenThrows(lifecycle('filled'));
  });

  it('refuses to fill a cancelled vacancy', () =>
    spec
      .given([posted, cancelled])
      .when(fill('pro-1', 'mob-1'))
      .thenThrows({ ...lifecycle('cancelled'), message: expect.stringContaining('cancelled on 2026-07-15') }));

  it('refuses an invalid filling date on the filledOn field', () =>
    spec
      .given([posted])
      .when(fill('pro-1', 'mob-1', '2026-09-31'))
      .thenThrows({ violations: [{ field: 'filledOn', description: expect.stringContaining('"2026-09-31"') }] }));

  it('refuses a vacancy that was never posted', () => spec.given([]).when(fill('pro-1')).thenThrows(NotFoundError));
});

describe('cancelling a vacancy', () => {
  it('records the reason and the date, repeating what the post was', () =>
    spec.given([posted]).when({ type: 'CancelVacancy', reason: 'post merged into a full-time one', cancelledOn: '2026-07-15' }).then([cancelled]));

  it('refuses a blank reason and an invalid date, on their fields', () =>
    spec
      .given([posted])
      .when({ type: 'CancelVacancy', reason: '  ', cancelledOn: '15/07/2026' })
      .thenThrows({ kind: 'invalid_argument', violations: [expect.objectContaining({ field: 'reason' }), expect.objectContaining({ field: 'cancelledOn' })] }));

  it('refuses to cancel a filled or an already cancelled vacancy', () => {
    spec
      .given([posted, filled('pro-1', 'mob-1')])
      .when({ type: 'CancelVacancy', reason: 'x', cancelledOn: '2026-10-01' })
      .thenThrows(lifecycle('filled'));
    spec.given([posted, cancelled]).when({ type: 'CancelVacancy', reason: 'again', cancelledOn: '2026-10-01' }).thenThrows(lifecycle('cancelled'));
  });

  it('refuses a vacancy that was never posted', () =>
    spec.given([]).when({ type: 'CancelVacancy', reason: 'x', cancelledOn: '2026-10-01' }).thenThrows(NotFoundError));
});

describe('state', () => {
  it('folds to the status and what ended the vacancy', () => {
    const fold = (events: VacancyEvent[]): Vacancy => events.reduce(vacancyDecider.evolve, vacancyDecider.initialState()) as Vacancy;
    expect(fold([posted])).toMatchObject({ status: 'open', fte: 8000 });
    expect(fold([posted, filled('pro-1', 'mob-1')])).toMatchObject({
      status: 'filled',
      filling: { professionalId: 'pro-1', mobilityId: 'mob-1', filledOn: '2026-09-01' },
    });
    expect(fold([posted, cancelled])).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: 'post merged into a full-time one', cancelledOn: '2026-07-15' },
    });
  });
});
