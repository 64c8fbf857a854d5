import type { FieldProblem } from '../errors';
import { isCountryCode } from './countries';

/** The longest value each field keeps: longer input is refused with the field named, never cut to fit. */
export const FIELD_LIMITS = {
  familyName: 100,
  givenName: 100,
  bookingNumber: 40,
  chargeDescription: 300,
  warrantNumber: 60,
  reason: 2000,
} as const;

/** A person over this age is not plausibly in custody: the date of birth is a typo. */
export const MAX_AGE_YEARS = 120;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** NCIC offense codes are four characters (e.g. 2202 burglary, 5404 DUI); two and three are kept for legacy records. */
const NCIC_CODE = /^[0-9A-Z]{2,4}$/;
// Control characters (tabs, new lines, NUL ...) have no place in a name: a pasted field or an attack.
const CONTROL = /\p{Cc}/u;

function validCalendarDate(value: string): boolean {
  const m = CALENDAR_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The date `years` before `date` (YYYY-MM-DD); 29 February falls back to 28 February in a common year. */
function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const back = new Date(Date.UTC(y - years, m - 1, d));
  if (back.getUTCMonth() !== m - 1) back.setUTCDate(0);
  return back.toISOString().slice(0, 10);
}

/** Why a date of birth is not plausible on `today` (both YYYY-MM-DD), or null: it is in the past and gives an age under 120. */
export function dateOfBirthProblem(dateOfBirth: string, today: string): string | null {
  if (typeof dateOfBirth !== 'string' || !validCalendarDate(dateOfBirth)) return 'dateOfBirth must be a date YYYY-MM-DD';
  if (!validCalendarDate(today)) throw new RangeError(`today must be YYYY-MM-DD; got '${today}'`);
  if (dateOfBirth >= today) return `dateOfBirth ${dateOfBirth} is not in the past`;
  if (dateOfBirth <= yearsBefore(today, MAX_AGE_YEARS)) return `dateOfBirth ${dateOfBirth} gives an age of ${MAX_AGE_YEARS} or more; check the year`;
  return null;
}

/** Why a family or given name is not acceptable, or null. */
export function nameProblem(field: 'familyName' | 'givenName', value: string): string | null {
  if (typeof value !== 'string' || value.trim() === '') return `${field} must not be empty or only spaces`;
  if (value.length > FIELD_LIMITS[field]) return `${field} is ${value.length} characters; at most ${FIELD_LIMITS[field]} are kept, so shorten it rather than have it cut`;
  if (CONTROL.test(value)) return `${field} must not hold control characters (tabs, line breaks)`;
  return null;
}

/** Why a citizenship is not an ISO 3166-1 alpha-2 country, or null (any case: 'mx' is MX). */
export function citizenshipProblem(value: string): string | null {
  if (typeof value !== 'string' || !isCountryCode(value.toUpperCase())) {
    return 'citizenship must be an ISO 3166-1 alpha-2 country code, e.g. MX (Mexico) or NG (Nigeria)';
  }
  return null;
}

/** Why an NCIC offense code is not acceptable, or null. */
export function ncicCodeProblem(value: string): string | null {
  if (typeof value !== 'string' || !NCIC_CODE.test(value)) return 'ncicCode must be an NCIC offense code of 2 to 4 letters or digits, e.g. 2202 (it is never cut to fit)';
  return null;
}

/** Why a free-text field is not acceptable (empty, only spaces, longer than its limit), or null. */
export function textProblem(field: string, value: string, limit: number): string | null {
  if (typeof value !== 'string' || value.trim() === '') return `${field} must not be empty or only spaces`;
  if (value.length > limit) return `${field} is ${value.length} characters; at most ${limit} are kept, so shorten it rather than have it cut`;
  return null;
}

export interface SubjectFacts {
  familyName?: string;
  givenName?: string;
  dateOfBirth?: string;
  citizenship?: string;
}

export interface ChargeFacts {
  description: string;
  ncicCode?: string;
}

/** Every implausible field of a subject (only the fields given), named under `prefix`. */
export function subjectProblems(subject: SubjectFacts, today: string, prefix = 'subject'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string | null) => {
    if (message !== null) problems.push({ field: `${prefix}.${field}`, message });
  };
  if (subject.familyName !== undefined) add('familyName', nameProblem('familyName', subject.familyName));
  if (subject.givenName !== undefined) add('givenName', nameProblem('givenName', subject.givenName));
  if (subject.dateOfBirth !== undefined) add('dateOfBirth', dateOfBirthProblem(subject.dateOfBirth, today));
  if (subject.citizenship !== undefined) add('citizenship', citizenshipProblem(subject.citizenship));
  return problems;
}

/** Every unacceptable field of a list of charges, as `charges[i].field`. */
export function chargeProblems(charges: readonly ChargeFacts[], prefix = 'charges'): FieldProblem[] {
  return charges.flatMap((c, i) => {
    const problems: FieldProblem[] = [];
    const description = textProblem('description', c.description, FIELD_LIMITS.chargeDescription);
    if (description) problems.push({ field: `${prefix}[${i}].description`, message: description });
    if (c.ncicCode !== undefined) {
      const ncic = ncicCodeProblem(c.ncicCode);
      if (ncic) problems.push({ field: `${prefix}[${i}].ncicCode`, message: ncic });
    }
    return problems;
  });
}
