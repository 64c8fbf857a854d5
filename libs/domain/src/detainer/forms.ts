import { localDateOf } from '../time/local-time';
import type { DetainerForm } from './types';

export interface FormRule {
  /** Asks to be notified before release. */
  asksNotice: boolean;
  /** Asks to hold the person up to 48 hours beyond release. */
  asksHold: boolean;
  /** An administrative warrant (I-200/I-205) must accompany the form when it is issued. */
  requiresWarrantAtIssue: boolean;
  /** The pre-2015 I-247: the 48 hours exclude Saturdays, Sundays and federal holidays. */
  holdExcludesNonBusinessDays: boolean;
  /** First and last (inclusive) local calendar date of `issuedAt` the form is accepted with; null = open. */
  validFrom: string | null;
  validTo: string | null;
}

export const FORM_RULES: Record<DetainerForm, FormRule> = {
  'I-247A': { asksNotice: true, asksHold: true, requiresWarrantAtIssue: true, holdExcludesNonBusinessDays: false, validFrom: '2017-04-02', validTo: null },
  // No warrant was required with the I-247D at issue; start_hold still needs one on file.
  'I-247D': { asksNotice: true, asksHold: true, requiresWarrantAtIssue: false, holdExcludesNonBusinessDays: false, validFrom: '2015-01-01', validTo: '2017-04-01' },
  'I-247N': { asksNotice: true, asksHold: false, requiresWarrantAtIssue: false, holdExcludesNonBusinessDays: false, validFrom: '2015-01-01', validTo: '2017-04-01' },
  'I-247X': { asksNotice: true, asksHold: false, requiresWarrantAtIssue: false, holdExcludesNonBusinessDays: false, validFrom: '2015-01-01', validTo: '2017-04-01' },
  'I-247': { asksNotice: true, asksHold: true, requiresWarrantAtIssue: false, holdExcludesNonBusinessDays: true, validFrom: null, validTo: '2014-12-31' },
};

/** Whether `form` may be issued at `issuedAt`, judged by the calendar date in the facility's zone. */
export function formValidOn(form: DetainerForm, issuedAt: Date, timeZone: string): boolean {
  const { validFrom, validTo } = FORM_RULES[form];
  const date = localDateOf(issuedAt, timeZone);
  return (validFrom === null || date >= validFrom) && (validTo === null || date <= validTo);
}

/** E.g. "I-247D is accepted only with an issuedAt from 2015-01-01 to 2017-04-01". */
export function describeFormValidity(form: DetainerForm): string {
  const { validFrom, validTo } = FORM_RULES[form];
  if (validFrom !== null && validTo !== null) return `${form} is accepted only with an issuedAt from ${validFrom} to ${validTo}`;
  if (validFrom !== null) return `${form} is accepted only with an issuedAt on or after ${validFrom}`;
  if (validTo !== null) return `${form} is accepted only with an issuedAt on or before ${validTo}`;
  return `${form} is accepted with any issuedAt`;
}
