import fc from 'fast-check';
import { formatANumber, normaliseANumber, normaliseFbiNumber, normaliseStateId, stateIdProblem } from './identifiers';

describe('A-numbers', () => {
  it.each([
    ['A012345678', '012345678'],
    ['A12345678', '012345678'],
    ['a12345678', '012345678'],
    ['A123456789', '123456789'],
    ['A-123-456-789', '123456789'],
    ['A 123 456 789', '123456789'],
    ['A123-456-789', '123456789'],
    ['a-12-345-678', '012345678'],
    ['  A123456789  ', '123456789'],
  ])('normalises %p to %p', (input, expected) => {
    expect(normaliseANumber(input)).toBe(expected);
  });

  it.each([
    ['123456789', 'no A'],
    ['A1234567', '7 digits'],
    ['A1234567890', '10 digits'],
    ['A12345678X', 'a letter'],
    ['B123456789', 'another prefix'],
    ['A--123456789', 'doubled separator'],
    ['A123_456_789', 'underscores'],
    ['A123456789-', 'trailing separator'],
    ['A000000000', 'all zeros'],
    ['', 'empty'],
    ['A', 'prefix only'],
  ])('rejects %p (%s)', (input) => {
    expect(normaliseANumber(input)).toBeNull();
  });

  it('formats the stored 9 digits', () => {
    expect(formatANumber('012345678')).toBe('A012345678');
    expect(() => formatANumber('12345678')).toThrow(RangeError);
    const stored = normaliseANumber('a-98-765-432');
    expect(stored && formatANumber(stored)).toBe('A098765432');
  });
});

describe('FBI numbers', () => {
  it.each([
    ['123456AB1', '123456AB1'],
    ['123-456 ab1', '123456AB1'],
    ['1', '1'],
  ])('normalises %p to %p', (input, expected) => {
    expect(normaliseFbiNumber(input)).toBe(expected);
  });

  it.each(['', '   ', '--', '1234567890', '12345#', 'ÄBC123'])('rejects %p', (input) => {
    expect(normaliseFbiNumber(input)).toBeNull();
  });
});

describe('normaliseStateId', () => {
  it.each([
    ['WA12345678', 'WA12345678'],
    ['  wa-1234-5678 ', 'WA-1234-5678'],
    ['7', '7'],
    ['A'.repeat(20), 'A'.repeat(20)],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseStateId(input)).toBe(expected);
    expect(stateIdProblem(input)).toBeNull();
  });

  it.each(['', '   ', 'WA 1234', 'WA_1234', 'WÄ1234', 'A'.repeat(21), 'WA\t12'])('refuses %j', (input) => {
    expect(normaliseStateId(input)).toBeNull();
    expect(stateIdProblem(input)).toMatch(/^stateId /);
  });

  it('names the length of a state ID too long rather than cutting it', () => {
    expect(stateIdProblem('1'.repeat(25))).toContain('25 characters');
  });

  it('any accepted value is 1 to 20 of letters, digits and hyphens, and stable', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        const n = normaliseStateId(input);
        if (n === null) return;
        expect(n).toMatch(/^[A-Z0-9-]{1,20}$/);
        expect(normaliseStateId(n)).toBe(n);
      }),
    );
  });
});
