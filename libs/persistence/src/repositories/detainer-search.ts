import { normaliseANumber, normaliseFbiNumber } from '@app/domain';
import { AccessScope, lodgingVisibleIn, Params } from '../scope';

/** What one search box may mean: a name, or an identifier typed exactly. */
export interface SearchTerms {
  /** Words of the query, lower-cased: each must be like a word of the person's name. */
  words: string[];
  /** Nine digits, when the query is an A-number. */
  aNumber: string | null;
  /** The FBI number the query would be (letters and digits). */
  fbiNumber: string | null;
  /** The query as typed and upper-cased: booking numbers and state IDs match either exactly. */
  identifiers: string[];
}

export function searchTermsOf(q: string): SearchTerms {
  const text = q.trim();
  const words = text.split(/[\s,;]+/).filter((w) => [...w].length >= 2).slice(0, 8).map((w) => w.toLowerCase());
  return {
    words,
    aNumber: normaliseANumber(text),
    fbiNumber: normaliseFbiNumber(text),
    identifiers: [...new Set([text, text.toUpperCase()])],
  };
}

/**
 * SQL condition on detainer alias `d`: the detainers the search finds, as an array computed once so
 * that the planner starts from the matches (indexes on names, identifiers and booking numbers), not
 * from the list's order. Names go through `search_subject_ids` (see the detainer-search migration:
 * the trigram index cannot be used under row-level security); every other part is read through the
 * policies, and a jail finds a booking number only on its own lodgings.
 */
export function searchCondition(terms: SearchTerms, scope: AccessScope, params: Params, d = 'd'): string {
  const parts: string[] = [];
  if (terms.words.length) parts.push(`SELECT sd.id FROM detainers sd WHERE sd.subject_id IN (SELECT search_subject_ids(${params.add(terms.words)}::text[]))`);
  const ids = params.add(terms.identifiers);
  const exact = [`s.state_id = ANY (${ids}::text[])`];
  if (terms.aNumber) exact.push(`s.a_number = ${params.add(terms.aNumber)}`);
  if (terms.fbiNumber) exact.push(`s.fbi_number = ${params.add(terms.fbiNumber)}`);
  parts.push(`SELECT sd.id FROM subjects s JOIN detainers sd ON sd.subject_id = s.id WHERE ${exact.join(' OR ')}`);
  parts.push(`SELECT bl.detainer_id FROM lodgings bl WHERE bl.booking_number = ANY (${ids}::text[]) AND ${lodgingVisibleIn(scope, params, 'bl')}`);
  return `${d}.id = ANY (ARRAY(${parts.join(' UNION ')}))`;
}
