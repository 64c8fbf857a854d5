const A_NUMBER = /^[Aa][ -]?(\d+(?:[ -]\d+)*)$/;
const FBI_NUMBER = /^[A-Z0-9]{1,9}$/;
/** A state identification number (SID): states format them differently, so only letters, digits and hyphens, at most 20. */
const STATE_ID = /^[A-Z0-9-]{1,20}$/;
const STATE_ID_MAX = 20;

/**
 * An alien registration number: `A` (any case) and 8 or 9 digits, optionally split by single spaces or
 * dashes ('A-123-456-789', 'a12345678'). Returns the 9 digits, zero-padded ('012345678'), or null.
 */
export function normaliseANumber(input: string): string | null {
  if (typeof input !== 'string') return null;
  const match = A_NUMBER.exec(input.trim());
  if (!match) return null;
  const digits = match[1].replace(/[ -]/g, '');
  if (digits.length !== 8 && digits.length !== 9) return null;
  const nine = digits.padStart(9, '0');
  return /^0+$/.test(nine) ? null : nine;
}

/** '012345678' -> 'A012345678'. */
export function formatANumber(nineDigits: string): string {
  if (!/^\d{9}$/.test(nineDigits)) throw new RangeError(`An A-number is stored as 9 digits; got '${nineDigits}'`);
  return `A${nineDigits}`;
}

/** FBI (UCN) number: uppercased, spaces and dashes removed, 1-9 letters or digits; null otherwise. */
export function normaliseFbiNumber(input: string): string | null {
  if (typeof input !== 'string') return null;
  const compact = input.trim().toUpperCase().replace(/[ -]/g, '');
  return FBI_NUMBER.test(compact) ? compact : null;
}

/**
 * State identification number (SID): trimmed and uppercased, then 1 to 20 letters, digits or hyphens;
 * null otherwise (longer input is refused, never cut to fit).
 */
export function normaliseStateId(input: string): string | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim().toUpperCase();
  return STATE_ID.test(trimmed) ? trimmed : null;
}

/** Why a state ID is not acceptable, or null. */
export function stateIdProblem(input: string): string | null {
  if (normaliseStateId(input) !== null) return null;
  if (typeof input === 'string' && input.trim().length > STATE_ID_MAX) {
    return `stateId is ${input.trim().length} characters; at most ${STATE_ID_MAX} are kept, so check it rather than have it cut`;
  }
  return `stateId must be 1 to ${STATE_ID_MAX} letters, digits or hyphens, e.g. WA-12345678`;
}
