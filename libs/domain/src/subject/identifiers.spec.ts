import { formatANumber, normaliseANumber, normaliseFbiNumber } from './identifiers';

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
