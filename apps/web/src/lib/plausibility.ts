/**
 * The plausibility rules the API applies, the very same functions (libs/domain is pure TypeScript):
 * the forms say what the server would say, before it is asked.
 */
export { citizenshipProblem, dateOfBirthProblem, FIELD_LIMITS, nameProblem, ncicCodeProblem, textProblem } from '../../../../libs/domain/src/subject/plausibility';
export { stateIdProblem } from '../../../../libs/domain/src/subject/identifiers';
import { ISO_COUNTRY_CODES } from '../../../../libs/domain/src/subject/countries';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();

/** Every ISO 3166-1 country, by English name: what a citizenship is chosen from. */
export const COUNTRIES: { code: string; name: string }[] = [...ISO_COUNTRY_CODES]
  .map((code) => ({ code, name: regionNames.of(code) ?? code }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en'));

export function countryName(code: string): string | null {
  return ISO_COUNTRY_CODES.has(code.toUpperCase()) ? regionNames.of(code.toUpperCase()) ?? null : null;
}

/** A country typed or picked: its code ('mx', 'MX'), its name ('Nigeria', 'nigéria') or the list's 'Nigeria (NG)'; null when none. */
export function countryCodeOf(input: string): string | null {
  const text = input.trim();
  const listed = /\(([A-Za-z]{2})\)$/.exec(text);
  if (listed && ISO_COUNTRY_CODES.has(listed[1].toUpperCase())) return listed[1].toUpperCase();
  if (/^[A-Za-z]{2}$/.test(text)) return ISO_COUNTRY_CODES.has(text.toUpperCase()) ? text.toUpperCase() : null;
  const wanted = fold(text);
  return COUNTRIES.find((c) => fold(c.name) === wanted)?.code ?? null;
}
