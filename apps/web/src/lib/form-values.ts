import { ApiError } from '../api/client';
import { resolveWallTime } from './time';

/** Problems per API field path (`subject.aNumber`, `charges[0].level`), plus what belongs to no field shown. */
export interface FormErrors {
  fields: Record<string, string[]>;
  general: string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, general: [] };

export function hasErrors(e: FormErrors): boolean {
  return e.general.length > 0 || Object.keys(e.fields).length > 0;
}

export function addFieldError(e: FormErrors, field: string, message: string): FormErrors {
  return { ...e, fields: { ...e.fields, [field]: [...(e.fields[field] ?? []), message] } };
}

/**
 * Turns an API error into form errors: each `details` entry next to its field when the form shows
 * that field, otherwise in the summary with the message.
 */
export function errorsFromApi(error: unknown, shownFields: (field: string) => boolean): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, general: [error instanceof Error ? error.message : String(error)] };
  const fields: Record<string, string[]> = {};
  const general: string[] = [];
  for (const d of error.fields) {
    if (shownFields(d.field)) (fields[d.field] ??= []).push(d.message);
    else general.push(d.field ? `${d.field}: ${d.message}` : d.message);
  }
  if (error.fields.length === 0 || (general.length === 0 && Object.keys(fields).length === 0)) general.unshift(error.message);
  if (error.status === 409 && error.body.code === 'version_conflict') {
    general.push('Reload the page to see the latest version, then try again.');
  }
  return { fields, general };
}

/** A date-time typed in a facility's local time: the value and, when the time occurs twice, which one. */
export interface LocalTimeValue {
  local: string;
  offset: string | null;
  /** Prefilled with the current minute and left as it is: send the moment of sending, to the second. */
  now?: boolean;
}

export const emptyLocalTime = (local = ''): LocalTimeValue => ({ local, offset: null });

/**
 * What to send for a local time: without an offset, so that the API reads it as facility time (and
 * itself rejects a time DST makes missing or ambiguous); with the offset the person chose when the
 * time occurs twice.
 */
export function localTimeForApi(v: LocalTimeValue, zone: string): { ok: true; value: string } | { ok: false; message: string } {
  // "Now" shown at minute precision would lie up to a minute before what just happened.
  if (v.now) return { ok: true, value: new Date().toISOString() };
  const r = resolveWallTime(v.local, zone);
  const seconds = v.local.length === 16 ? `${v.local}:00` : v.local;
  switch (r.kind) {
    case 'invalid':
      return { ok: false, message: 'Enter a date and a time.' };
    case 'missing':
      return { ok: false, message: `This time does not exist in ${zone}: the clocks skip it (daylight saving). Choose another time.` };
    case 'ambiguous':
      return v.offset && r.options.some((o) => o.offset === v.offset)
        ? { ok: true, value: `${seconds}${v.offset}` }
        : { ok: false, message: `This time occurs twice in ${zone} (clocks go back): choose which one.` };
    case 'unique':
      return { ok: true, value: seconds };
  }
}

