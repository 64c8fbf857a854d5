import fc from 'fast-check';
import { IDENTITY_FIELDS, identityMismatches, IdentityOnFile, IdentityTyped, sameName } from './identity-match';

const onFile: IdentityOnFile = { familyName: 'García', givenName: 'Ana María', dateOfBirth: '1980-05-17', sex: 'F', citizenship: 'MX', fbiNumber: '123456AB1' };
const typed: IdentityTyped = { familyName: 'García', givenName: 'Ana María', dateOfBirth: '1980-05-17', sex: 'F', citizenship: 'MX', fbiNumber: '123456AB1' };

describe('identityMismatches', () => {
  it('the same person matches, visible or not', () => {
    expect(identityMismatches(onFile, typed, true)).toEqual([]);
    expect(identityMismatches(onFile, typed, false)).toEqual([]);
  });

  it('case and spacing of names do not matter; letters do', () => {
    expect(identityMismatches(onFile, { ...typed, familyName: ' garcía ', givenName: 'ANA  MARÍA' }, true)).toEqual([]);
    expect(identityMismatches(onFile, { ...typed, familyName: 'Garcia' }, true)).toEqual(['familyName']);
  });

  it.each([
    ['familyName', { familyName: 'Lopez' }],
    ['givenName', { givenName: 'Ana' }],
    ['dateOfBirth', { dateOfBirth: '1980-05-18' }],
    ['sex', { sex: 'M' as const }],
    ['citizenship', { citizenship: 'GT' }],
    ['fbiNumber', { fbiNumber: '999' }],
  ])('a different %s is named', (field, change) => {
    expect(identityMismatches(onFile, { ...typed, ...change }, true)).toEqual([field]);
  });

  it('names every differing field, in a fixed order', () => {
    expect(identityMismatches(onFile, { ...typed, dateOfBirth: '1990-01-01', familyName: 'Lopez' }, true)).toEqual(['familyName', 'dateOfBirth']);
  });

  it('citizenship in lower case is the same code', () => {
    expect(identityMismatches(onFile, { ...typed, citizenship: 'mx' }, true)).toEqual([]);
  });

  it('sex and FBI number not typed: fine when the caller already sees the person, a mismatch when only another office does', () => {
    const { sex: _s, fbiNumber: _f, ...rest } = typed;
    expect(identityMismatches(onFile, rest, true)).toEqual([]);
    expect(identityMismatches(onFile, rest, false)).toEqual(['sex', 'fbiNumber']);
    expect(identityMismatches({ ...onFile, sex: null, fbiNumber: null }, rest, false)).toEqual([]);
  });

  it('an FBI number typed for a person on file without one is new information, not a mismatch', () => {
    expect(identityMismatches({ ...onFile, fbiNumber: null }, typed, false)).toEqual([]);
  });

  it('property: the result only ever names fields, never values, and is empty for an identical identity', () => {
    const name = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(name, name, fc.boolean(), (family, given, visible) => {
        const file = { ...onFile, familyName: family, givenName: given };
        expect(identityMismatches(file, { ...typed, familyName: family, givenName: given }, visible)).toEqual([]);
        const result = identityMismatches(file, { ...typed, familyName: `${family}x`, givenName: given }, visible);
        for (const f of result) expect(IDENTITY_FIELDS).toContain(f);
        expect(result).toContain('familyName');
      }),
    );
  });
});

describe('sameName', () => {
  it('is symmetric and reflexive', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      expect(sameName(a, a)).toBe(true);
      expect(sameName(a, b)).toBe(sameName(b, a));
    }));
  });

  it('a state ID typed must agree with one on file; one on file only elsewhere counts when not typed', () => {
    expect(identityMismatches({ ...onFile, stateId: 'WA-1' }, { ...typed, stateId: 'WA-2' }, true)).toEqual(['stateId']);
    expect(identityMismatches({ ...onFile, stateId: 'WA-1' }, { ...typed, stateId: 'WA-1' }, false)).toEqual([]);
    expect(identityMismatches({ ...onFile, stateId: null }, { ...typed, stateId: 'WA-2' }, false)).toEqual([]);
    expect(identityMismatches({ ...onFile, stateId: 'WA-1' }, typed, true)).toEqual([]);
    expect(identityMismatches({ ...onFile, stateId: 'WA-1' }, typed, false)).toEqual(['stateId']);
  });
});
