/**
 * Password rules after NIST SP 800-63B: a length floor and ceiling, no passwords from breach
 * corpora (also with digits or symbols stuck on either end), no runs of one character or of a
 * keyboard/alphabet sequence, and nothing built from the username or the service's own name.
 * No composition rules ("one capital, one digit"): they make passwords worse, not better.
 */
export const MIN_PASSWORD_LENGTH = 12;
/** argon2 hashes any length, but an unbounded password is a cheap way to burn our CPU. */
export const MAX_PASSWORD_LENGTH = 128;

export interface PasswordContext {
  username?: string;
  /** True when the (lower-cased) candidate is in the shipped common/breached-password list. */
  isCommon(lowerCased: string): boolean;
}

/** Why a password may not be used, or null when it may. Length counts characters, not UTF-16 units. */
export function passwordProblem(password: string, ctx: PasswordContext): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (length > MAX_PASSWORD_LENGTH) return `A password may have at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (ctx.isCommon(lower)) return 'This password is on a list of common or breached passwords; choose another.';
  const core = lower.replace(/^[^a-z]+/, '').replace(/[^a-z]+$/, '');
  if (core.length >= 4 && core !== lower && ctx.isCommon(core)) {
    return 'This password is a common password with digits or symbols added; choose another.';
  }
  if (/^(.)\1+$/u.test(password)) return 'A password may not be one character repeated.';
  if (isSequence(lower)) return 'A password may not be a simple sequence (abcd..., 1234..., qwerty...).';
  const username = ctx.username?.trim().toLowerCase();
  if (username && username.length >= 3 && lower.includes(username)) return 'A password may not contain the username.';
  if (/detainer/.test(lower) && lower.replace(/detainers?|workflow|[^a-z]/g, '').length < 4) {
    return "A password may not be built from the service's name.";
  }
  return null;
}

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p'];

/** The whole password walks one of the sequences, forwards or backwards (wrapping around is allowed). */
function isSequence(lower: string): boolean {
  return SEQUENCES.some((seq) => {
    const doubled = seq + seq;
    const reversed = [...doubled].reverse().join('');
    return doubled.includes(lower) || reversed.includes(lower);
  });
}
