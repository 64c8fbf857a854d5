import { ApiError } from '../api/client';
import { addFieldError, errorsFromApi, hasErrors, localTimeForApi, NO_ERRORS } from './form-values';

const LA = 'America/Los_Angeles';

describe('form values: API errors next to fields', () => {
  const invalid = new ApiError(400, {
    statusCode: 400,
    error: 'Bad Request',
    code: 'invalid_input',
    message: 'Invalid input: subject.aNumber, warrant.',
    details: [
      { field: 'subject.aNumber', message: 'An A-number is the letter A followed by 8 or 9 digits.' },
      { field: 'charges[0].level', message: 'level must be one of felony, misdemeanor' },
      { field: 'warrant', message: 'An I-247A needs a warrant.' },
    ],
  });

  it('puts each detail next to its field when the form shows it, the rest in the summary', () => {
    const e = errorsFromApi(invalid, (f) => f === 'subject.aNumber' || f === 'charges[0].level');
    expect(e.fields).toEqual({
      'subject.aNumber': ['An A-number is the letter A followed by 8 or 9 digits.'],
      'charges[0].level': ['level must be one of felony, misdemeanor'],
    });
    expect(e.general).toEqual(['warrant: An I-247A needs a warrant.']);
  });

  it('shows the message when no detail can be placed, and says to reload on a stale version', () => {
    const stale = new ApiError(409, {
      statusCode: 409, error: 'Conflict', code: 'version_conflict', message: 'The detainer is at version 4, not 3: it changed since you read it.', currentVersion: 4, expectedVersion: 3,
    });
    expect(errorsFromApi(stale, () => true)).toEqual({
      fields: {},
      general: ['The detainer is at version 4, not 3: it changed since you read it.', 'Reload the page to see the latest version, then try again.'],
    });
    const transition = new ApiError(409, { statusCode: 409, error: 'Conflict', code: 'invalid_transition', message: "Cannot cancel a detainer in state 'honored'.", state: 'honored' });
    expect(errorsFromApi(transition, () => true).general).toEqual(["Cannot cancel a detainer in state 'honored'."]);
    expect(errorsFromApi(new Error('boom'), () => true)).toEqual({ fields: {}, general: ['boom'] });
  });

  it('adds and detects errors without mutating', () => {
    const one = addFieldError(NO_ERRORS, 'at', 'Enter the time.');
    expect(hasErrors(NO_ERRORS)).toBe(false);
    expect(hasErrors(one)).toBe(true);
    expect(addFieldError(one, 'at', 'Again.').fields.at).toEqual(['Enter the time.', 'Again.']);
    expect(one.fields.at).toEqual(['Enter the time.']);
  });
});

describe('form values: local times for the API', () => {
  it('sends an ordinary facility time without offset, to the second, for the API to read in the facility zone', () => {
    expect(localTimeForApi({ local: '2026-11-25T09:00', offset: null }, LA)).toEqual({ ok: true, value: '2026-11-25T09:00:00' });
  });

  it('refuses a time skipped by DST, and a repeated one until the person chooses; then sends the chosen offset', () => {
    expect(localTimeForApi({ local: '2026-03-08T02:30', offset: null }, LA)).toMatchObject({ ok: false, message: expect.stringContaining('does not exist') });
    expect(localTimeForApi({ local: '2026-11-01T01:30', offset: null }, LA)).toMatchObject({ ok: false, message: expect.stringContaining('occurs twice') });
    expect(localTimeForApi({ local: '2026-11-01T01:30', offset: '-08:00' }, LA)).toEqual({ ok: true, value: '2026-11-01T01:30:00-08:00' });
    expect(localTimeForApi({ local: '2026-11-01T01:30', offset: '-05:00' }, LA).ok).toBe(false);
    expect(localTimeForApi({ local: '', offset: null }, LA)).toMatchObject({ ok: false, message: 'Enter a date and a time.' });
  });

  it('sends the moment of sending for an untouched "now"', () => {
    const before = Date.now();
    const r = localTimeForApi({ local: '2000-01-01T00:00', offset: null, now: true }, LA);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Date.parse(r.value)).toBeGreaterThanOrEqual(before);
  });
});
