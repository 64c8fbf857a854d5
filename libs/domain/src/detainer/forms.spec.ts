import { describeFormValidity, FORM_RULES, formValidOn } from './forms';
import { DETAINER_FORMS } from './types';

describe('FORM_RULES', () => {
  it('says what each form asks and when it is valid', () => {
    expect(FORM_RULES).toEqual({
      'I-247A': { asksNotice: true, asksHold: true, requiresWarrantAtIssue: true, holdExcludesNonBusinessDays: false, validFrom: '2017-04-02', validTo: null },
      'I-247D': { asksNotice: true, asksHold: true, requiresWarrantAtIssue: false, holdExcludesNonBusinessDays: false, validFrom: '2015-01-01', validTo: '2017-04-01' },
      'I-247N': { asksNotice: true, asksHold: false, requiresWarrantAtIssue: false, holdExcludesNonBusinessDays: false, validFrom: '2015-01-01', validTo: '2017-04-01' },
      'I-247X': { asksNotice: true, asksHold: false, requiresWarrantAtIssue: false, holdExcludesNonBusinessDays: false, validFrom: '2015-01-01', validTo: '2017-04-01' },
      'I-247': { asksNotice: true, asksHold: true, requiresWarrantAtIssue: false, holdExcludesNonBusinessDays: true, validFrom: null, validTo: '2014-12-31' },
    });
  });

  it('leaves no date without exactly one valid form family', () => {
    // the periods abut: every date is covered by I-247, the 2015 forms or I-247A, never two families
    for (const date of ['2014-12-31', '2015-01-01', '2017-04-01', '2017-04-02']) {
      const valid = DETAINER_FORMS.filter((f) => formValidOn(f, new Date(`${date}T12:00:00Z`), 'UTC'));
      expect(valid.length).toBeGreaterThan(0);
      expect(new Set(valid.map((f) => FORM_RULES[f].validFrom)).size).toBe(1);
    }
  });
});

describe('formValidOn: boundaries on the facility local date', () => {
  it.each([
    // 2017-04-02T05:00Z is 01:00 EDT on 2 April in New York but 22:00 PDT on 1 April in Los Angeles
    ['I-247D', '2017-04-02T05:00:00Z', 'America/Los_Angeles', true],
    ['I-247D', '2017-04-02T05:00:00Z', 'America/New_York', false],
    ['I-247A', '2017-04-02T05:00:00Z', 'America/Los_Angeles', false],
    ['I-247A', '2017-04-02T05:00:00Z', 'America/New_York', true],
    ['I-247N', '2017-04-01T23:59:59-07:00', 'America/Los_Angeles', true],
    ['I-247X', '2017-04-02T00:00:00-07:00', 'America/Los_Angeles', false],
    // 2015-01-01T03:00Z is 22:00 EST on 31 December in New York, 2015-01-01 in UTC
    ['I-247', '2015-01-01T03:00:00Z', 'America/New_York', true],
    ['I-247', '2015-01-01T03:00:00Z', 'UTC', false],
    ['I-247D', '2015-01-01T03:00:00Z', 'America/New_York', false],
    ['I-247D', '2015-01-01T03:00:00Z', 'UTC', true],
    ['I-247N', '2014-12-31T23:59:59-06:00', 'America/Chicago', false],
    ['I-247', '1999-06-01T12:00:00Z', 'America/Chicago', true],
    ['I-247A', '2030-06-01T12:00:00Z', 'America/Chicago', true],
  ] as const)('%s issued at %s in %s: %s', (form, issuedAt, zone, valid) => {
    expect(formValidOn(form, new Date(issuedAt), zone)).toBe(valid);
  });

  it('describes the validity for messages', () => {
    expect(describeFormValidity('I-247D')).toBe('I-247D is accepted only with an issuedAt from 2015-01-01 to 2017-04-01');
    expect(describeFormValidity('I-247A')).toBe('I-247A is accepted only with an issuedAt on or after 2017-04-02');
    expect(describeFormValidity('I-247')).toBe('I-247 is accepted only with an issuedAt on or before 2014-12-31');
  });
});
