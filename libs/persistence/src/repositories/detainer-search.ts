import { normaliseANumber, normaliseFbiNumber } from '@app/domain';
import { AccessScope, lodgingVisibleIn, Params } from '../scope';
import { Sql } from '../sql';

/** What one search box may mean: a name, or an identifier typed exactly. */
export interface SearchTerms {
  /** Words of the query, lower-cased: each must be like a word of the person's name. Words with a digit are never names. */
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
  // A word with a digit in it is a booking number, A-number, SID or FBI number, never part of a name:
  // no trigram look-up for it (it was most of a booking-number search's time).
  const words = text.split(/[\s,;]+/).filter((w) => [...w].length >= 2 && !/\d/.test(w)).slice(0, 8).map((w) => w.toLowerCase());
  return {
    words,
    aNumber: normaliseANumber(text),
    fbiNumber: normaliseFbiNumber(text),
    identifiers: [...new Set([text, text.toUpperCase()])],
  };
}

/**
 * The detainers the search finds within the caller's reach, in one statement of its own: the list then
 * reads its page from these ids alone (primary key), instead of carrying the search into each arm of
 * its scope (where it was planned and run once per arm). Names go through `search_detainer_ids` (see the
 * detainer-search and subject-name-words migrations: the trigram index cannot be used under row-level security); identifiers
 * by their b-tree indexes, whose equality operators are leakproof, under the policies; a jail finds a
 * booking number only on its own lodgings.
 */
export async function searchDetainerIds(sql: Sql, terms: SearchTerms, scope: AccessScope): Promise<string[]> {
  const params = new Params();
  const parts: string[] = [];
  if (terms.words.length) parts.push(`SELECT n.id FROM search_detainer_ids(${params.add(terms.words)}::text[]) n (id)`);
  const ids = params.add(terms.identifiers);
  const exact = [`s.state_id = ANY (${ids}::text[])`];
  if (terms.aNumber) exact.push(`s.a_number = ${params.add(terms.aNumber)}`);
  if (terms.fbiNumber) exact.push(`s.fbi_number = ${params.add(terms.fbiNumber)}`);
  parts.push(`SELECT sd.id FROM subjects s JOIN detainers sd ON sd.subject_id = s.id WHERE ${exact.join(' OR ')}`);
  parts.push(`SELECT bl.detainer_id FROM lodgings bl WHERE bl.booking_number = ANY (${ids}::text[]) AND ${lodgingVisibleIn(scope, params, 'bl')}`);
  const rows = await sql.prepared<{ id: string }>(parts.join(' UNION '), params.values);
  return rows.map((r) => r.id);
}
