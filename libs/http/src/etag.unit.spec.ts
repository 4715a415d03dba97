import type { Request } from 'express';
import { ValidationError } from '@pcn/eventsourcing';
import { optionalIfMatch, requireIfMatch } from './etag';
import { HttpError } from './http-errors';

const withIfMatch = (value?: string): Request => ({ get: (name: string) => (name.toLowerCase() === 'if-match' ? value : undefined) }) as unknown as Request;

describe('optionalIfMatch', () => {
  it('is undefined without an If-Match header', () => {
    expect(optionalIfMatch(withIfMatch())).toBeUndefined();
    expect(optionalIfMatch(withIfMatch(''))).toBeUndefined();
  });

  it.each([
    ['"3"', 3],
    ['  "0"  ', 0],
  ])('reads the version of %s', (header, version) => {
    expect(optionalIfMatch(withIfMatch(header))).toBe(version);
  });

  it.each(['3', '"three"', '"1", "2"', '*'])('refuses the malformed %s, naming the header', (header) => {
    expect(() => optionalIfMatch(withIfMatch(header))).toThrow(ValidationError);
    expect(() => optionalIfMatch(withIfMatch(header))).toThrow(expect.objectContaining({ violations: [expect.objectContaining({ field: 'If-Match' })] }));
  });

  it('answers 412 to a weak tag: RFC 9110 never matches one in If-Match', () => {
    expect(() => optionalIfMatch(withIfMatch('W/"0"'))).toThrow(expect.objectContaining({ status: 412 }));
    expect(() => requireIfMatch(withIfMatch(' W/"12" '))).toThrow(HttpError);
  });

  it('does not repeat a long malformed header in full', () => {
    const header = `"${'x'.repeat(5000)}"`;
    expect(() => optionalIfMatch(withIfMatch(header))).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ description: expect.stringMatching(/^.{0,200}$/) })] }),
    );
  });
});

describe('requireIfMatch', () => {
  it('answers 428 without an If-Match header, and the version with one', () => {
    expect(() => requireIfMatch(withIfMatch())).toThrow(HttpError);
    expect(() => requireIfMatch(withIfMatch())).toThrow(expect.objectContaining({ status: 428 }));
    expect(requireIfMatch(withIfMatch('"7"'))).toBe(7);
  });
});
