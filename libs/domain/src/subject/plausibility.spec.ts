import fc from 'fast-check';
import {
  chargeProblems, citizenshipProblem, dateOfBirthProblem, FIELD_LIMITS, MAX_AGE_YEARS, nameProblem, ncicCodeProblem, subjectProblems, textProblem,
} from './plausibility';
import { ISO_COUNTRY_CODES } from './countries';

describe('date of birth plausibility', () => {
  const today = '2026-12-02';
  it.each([
    ['1980-05-17', null],
    ['2026-12-01', null],
    ['1906-12-03', null], // 119 years and 364 days
  ])('%s is plausible', (dob, expected) => expect(dateOfBirthProblem(dob, today)).toBe(expected));

  it.each([
    ['2026-12-02', /not in the past/],
    ['2027-01-01', /not in the past/],
    ['1906-12-02', /age of 120/], // exactly 120 today
    ['1850-01-01', /age of 120/],
    ['1980-02-30', /YYYY-MM-DD/],
    ['17/05/1980', /YYYY-MM-DD/],
    ['', /YYYY-MM-DD/],
  ])('%s is refused', (dob, message) => expect(dateOfBirthProblem(dob, today)).toMatch(message));

  it('29 February: 120 years before a common-year 28 February', () => {
    expect(dateOfBirthProblem('1904-02-29', '2024-02-29')).toMatch(/age of 120/);
    expect(dateOfBirthProblem('1905-03-01', '2025-02-28')).toBeNull();
    expect(dateOfBirthProblem('1905-02-28', '2025-02-28')).toMatch(/age of 120/);
  });

  it('refuses a bad `today` loudly (a programming error, not input)', () => {
    expect(() => dateOfBirthProblem('1980-01-01', 'today')).toThrow(RangeError);
  });

  it('property: plausible exactly when the age is 0..119 and the date is before today', () => {
    const day = fc.date({ min: new Date('1850-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (dob, now) => {
        const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
        const [ty, tm, td] = now.split('-').map(Number) as [number, number, number];
        const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
        const plausible = dob < now && age < MAX_AGE_YEARS;
        expect(dateOfBirthProblem(dob, now) === null).toBe(plausible);
      }),
    );
  });
});

describe('names', () => {
  it.each(['Doe', 'García Márquez', "O'Brien", 'Nguyễn', 'Jean-Luc', 'St. John', '张', 'Øster'])('accepts %p', (name) => {
    expect(nameProblem('familyName', name)).toBeNull();
  });
  it.each([
    ['', /empty or only spaces/],
    ['   ', /empty or only spaces/],
    ['\t\n', /empty or only spaces/],
    ['Doe\tJr', /control characters/],
    ['Doe\n', /control characters/],
    ['\u0000Doe', /control characters/],
    ['x'.repeat(FIELD_LIMITS.familyName + 1), /at most 100/],
  ])('refuses %p', (name, message) => expect(nameProblem('familyName', name)).toMatch(message));
  it('a name of exactly the limit is kept', () => expect(nameProblem('givenName', 'a'.repeat(FIELD_LIMITS.givenName))).toBeNull());
  it('property: any run of whitespace is refused', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003')).map((a) => a.join('')), (s) => expect(nameProblem('givenName', s)).toMatch(/empty/)));
  });
});

describe('citizenship', () => {
  it('every ISO code, in any case', () => {
    for (const code of ISO_COUNTRY_CODES) {
      expect(citizenshipProblem(code)).toBeNull();
      expect(citizenshipProblem(code.toLowerCase())).toBeNull();
    }
  });
  it.each(['Nigeria', 'NGA', 'N', 'UK', 'EU', 'ZZ', ''])('refuses %p', (v) => expect(citizenshipProblem(v)).toMatch(/ISO 3166-1/));
});

describe('codes and text are never cut to fit', () => {
  it.each(['2202', '13', '5404', 'AB1'])('NCIC %p is accepted', (code) => expect(ncicCodeProblem(code)).toBeNull());
  it.each(['22021', '2', '22 02', '2202\n', 'abcd'])('NCIC %p is refused', (code) => expect(ncicCodeProblem(code)).toMatch(/never cut/));
  it('text over its limit names its length', () => {
    expect(textProblem('reason', 'x'.repeat(11), 10)).toMatch(/11 characters; at most 10/);
    expect(textProblem('reason', '  ', 10)).toMatch(/only spaces/);
    expect(textProblem('reason', 'ok', 10)).toBeNull();
  });
});

describe('subjectProblems and chargeProblems name every field', () => {
  it('lists each offending field under its path, only for the fields given', () => {
    expect(subjectProblems({ familyName: ' ', givenName: 'Ann', dateOfBirth: '2030-01-01', citizenship: 'Nigeria' }, '2026-12-02').map((p) => p.field)).toEqual([
      'subject.familyName', 'subject.dateOfBirth', 'subject.citizenship',
    ]);
    expect(subjectProblems({ givenName: 'Ann' }, '2026-12-02')).toEqual([]);
  });
  it('charges', () => {
    expect(chargeProblems([{ description: 'Burglary', ncicCode: '2202' }, { description: '  ', ncicCode: '22021' }]).map((p) => p.field)).toEqual([
      'charges[1].description', 'charges[1].ncicCode',
    ]);
  });
});
