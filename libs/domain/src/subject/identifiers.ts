const A_NUMBER = /^[Aa][ -]?(\d+(?:[ -]\d+)*)$/;
const FBI_NUMBER = /^[A-Z0-9]{1,9}$/;

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
