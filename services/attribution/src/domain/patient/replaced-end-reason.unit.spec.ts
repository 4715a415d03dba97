import { replacedEndReason } from './replaced-end-reason';

describe('the end reason of an attribution replaced by a declaration', () => {
  it('is the departure of the GP when the patient was moved to a colleague', () => {
    expect(replacedEndReason({ channel: 'reattribution' })).toBe('practitioner_departed');
  });

  it.each(['paper_form', 'teleservice', 'centre_software', 'waitlist_match'] as const)('is "replaced" for a declaration by %s', (channel) => {
    expect(replacedEndReason({ channel })).toBe('replaced');
  });
});
