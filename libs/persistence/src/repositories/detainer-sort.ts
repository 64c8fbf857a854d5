import { DomainError } from '@app/domain';
import { decodeCursor, encodeCursor } from '../paging';
import { Params } from '../scope';

export const DETAINER_SORTS = ['issuedAt', '-issuedAt', 'releaseAt', '-releaseAt', 'familyName', 'status'] as const;
export type DetainerSort = (typeof DETAINER_SORTS)[number];

interface SortKey {
  /** SQL over `d` (the detainer), `v` (the lodging the caller sees as current) and, for names, `ss` (the subject). */
  expr: string;
  cast: 'timestamptz' | 'text' | 'uuid';
  desc: boolean;
}

export interface SortPlan {
  /** A join the keys need (the subject, for names), or ''. */
  join: string;
  keys: SortKey[];
}

const ID_ASC: SortKey = { expr: 'd.id', cast: 'uuid', desc: false };
const ID_DESC: SortKey = { expr: 'd.id', cast: 'uuid', desc: true };

/** How each sort orders the list; every plan ends in the id, so that keyset paging is total. Releases not yet scheduled come last either way. */
export function sortPlan(sort: DetainerSort): SortPlan {
  switch (sort) {
    case '-issuedAt':
      return { join: '', keys: [{ expr: 'd.issued_at', cast: 'timestamptz', desc: true }, ID_DESC] };
    case 'issuedAt':
      return { join: '', keys: [{ expr: 'd.issued_at', cast: 'timestamptz', desc: false }, ID_ASC] };
    case 'releaseAt':
      return { join: '', keys: [{ expr: `COALESCE(v.release_at, 'infinity'::timestamptz)`, cast: 'timestamptz', desc: false }, ID_ASC] };
    case '-releaseAt':
      return { join: '', keys: [{ expr: `COALESCE(v.release_at, '-infinity'::timestamptz)`, cast: 'timestamptz', desc: true }, ID_DESC] };
    case 'familyName':
      return {
        join: 'JOIN subjects ss ON ss.id = d.subject_id',
        keys: [{ expr: 'search_text(ss.family_name)', cast: 'text', desc: false }, { expr: 'search_text(ss.given_name)', cast: 'text', desc: false }, ID_ASC],
      };
    case 'status':
      return { join: '', keys: [{ expr: 'v.status', cast: 'text', desc: false }, { expr: 'd.issued_at', cast: 'timestamptz', desc: true }, ID_DESC] };
    default: {
      const never: never = sort;
      return never;
    }
  }
}

/** The keys as selected columns (`sort_key_0`, ...), read back for the next cursor. */
export function sortKeyColumns(plan: SortPlan): string {
  return plan.keys.map((k, i) => `(${k.expr})::text AS sort_key_${i}`).join(', ');
}

export function orderBy(plan: SortPlan): string {
  return plan.keys.map((k) => `${k.expr} ${k.desc ? 'DESC' : 'ASC'}`).join(', ');
}

/** Rows after the cursor's position: one row comparison when every key runs the same way (an index can serve it), else the expanded form. */
export function afterCursor(plan: SortPlan, values: string[], params: Params): string {
  const ps = plan.keys.map((k, i) => `${params.add(values[i])}::${k.cast}`);
  if (plan.keys.every((k) => k.desc === plan.keys[0].desc)) {
    return `(${plan.keys.map((k) => k.expr).join(', ')}) ${plan.keys[0].desc ? '<' : '>'} (${ps.join(', ')})`;
  }
  const ors = plan.keys.map((k, i) => {
    const equal = plan.keys.slice(0, i).map((e, j) => `${e.expr} = ${ps[j]}`);
    return `(${[...equal, `${k.expr} ${k.desc ? '<' : '>'} ${ps[i]}`].join(' AND ')})`;
  });
  return `(${ors.join(' OR ')})`;
}

export function encodeSortCursor(sort: DetainerSort, values: string[]): string {
  return encodeCursor(Object.fromEntries<string>([['sort', sort], ...values.map((v, i): [string, string] => [`k${i}`, v])]));
}

export function decodeSortCursor(cursor: string, sort: DetainerSort, plan: SortPlan): string[] {
  const keys = ['sort', ...plan.keys.map((_, i) => `k${i}`)];
  const decoded = decodeCursor(cursor, keys);
  if (decoded.sort !== sort) throw DomainError.invalidInput('cursor', `this cursor pages the list sorted by ${decoded.sort}; start again without it to sort by ${sort}`);
  return plan.keys.map((_, i) => decoded[`k${i}`]);
}
