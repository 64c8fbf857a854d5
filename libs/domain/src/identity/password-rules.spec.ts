import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './password-rules';

const COMMON = new Set(['password', 'monkey', 'letmein', 'password1234', 'iloveyou', 'dragon']);
const ctx = (username?: string) => ({ username, isCommon: (s: string) => COMMON.has(s) });

describe('passwordProblem', () => {
  it.each([
    ['a long passphrase', 'violet-harbor-lantern-42'],
    ['exactly the minimum length', 'tqz-vbn-4kse'],
    ['exactly the maximum length', 'x'.repeat(MAX_PASSWORD_LENGTH - 1) + 'y'],
    ['non-ASCII letters counted as characters', 'żółw-jeży-łąka'],
    ['a common word inside a longer passphrase', 'my dragon eats lanterns'],
  ])('accepts %s', (_name, password) => {
    expect(passwordProblem(password, ctx('jail.king'))).toBeNull();
  });

  it.each([
    ['one character short', 'a'.repeat(MIN_PASSWORD_LENGTH - 2) + 'b', /at least 12/],
    ['counted in characters, not UTF-16 units (6 emoji are 12 units)', '🔒🔑🚓🔒🔑🚓', /at least 12/],
    ['one character too long', 'ab'.repeat(MAX_PASSWORD_LENGTH / 2) + 'c', /at most 128/],
    ['on the common list (case-insensitive)', 'PassWord1234', /common or breached/],
    ['a common password with digits added', 'monkey123456789', /digits or symbols added/],
    ['a common password with symbols on both ends', '!!!iloveyou!!!', /digits or symbols added/],
    ['one character repeated', 'zzzzzzzzzzzz', /one character repeated/],
    ['an alphabet run', 'abcdefghijklm', /sequence/],
    ['a digit run that wraps', '789012345678', /sequence/],
    ['a backwards keyboard row', 'lkjhgfdsapoiu', /sequence/],
    ['the username inside', 'xx-Jail.King-2026', /username/],
    ["the service's name", 'Detainers-2026!', /service's name/],
  ])('refuses %s', (_name, password, message) => {
    expect(passwordProblem(password, ctx('jail.king'))).toMatch(message);
  });

  it('ignores a username too short to mean anything', () => {
    expect(passwordProblem('ab-violet-harbor', ctx('ab'))).toBeNull();
  });

  it('a core of fewer than 4 letters is not checked against the list', () => {
    const isCommon = jest.fn((s: string) => s === 'abc');
    expect(passwordProblem('123456abc789', { isCommon })).toBeNull();
  });
});
