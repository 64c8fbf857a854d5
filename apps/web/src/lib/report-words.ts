/**
 * The weekly report's internal keys in words, one vocabulary for every report screen: age buckets
 * (one order, labelled without overlap), the fields a change list names, and why a version was
 * published.
 */
import type { ChangeList } from '../api/types';
import { CANCEL_REASON_LABELS, DECLINE_KIND_LABELS, EVENT_LABELS, humanize, label, SOURCE_LABELS } from './labels';

/** Youngest first, everywhere (charts, drill-down, Section II, change lists). */
export const AGE_BUCKET_ORDER = ['under_week', 'under_month', 'under_year', 'year_or_more'] as const;
export const AGE_BUCKET_LABELS: Record<string, string> = {
  under_week: '0–6 days',
  under_month: '7–29 days',
  under_year: '30–364 days',
  year_or_more: '365+ days',
};

/** `{ year_or_more: 1, under_week: 2 }` as bars in AGE_BUCKET_ORDER, every bucket shown. */
export function ageBars(counts: Record<string, number>): { label: string; value: number }[] {
  return AGE_BUCKET_ORDER.map((b) => ({ label: AGE_BUCKET_LABELS[b], value: counts[b] ?? 0 }));
}

const EXCLUSION_LABELS: Record<string, string> = {
  issued_in_error: 'Excluded: issued in error',
  wrong_subject: 'Excluded: wrong subject',
  us_citizen: 'Excluded: U.S. citizen',
  misdirected: 'Excluded: not in the agency’s custody',
  excluded_by_dispute: 'Excluded by an upheld dispute',
};

const FIGURE_LABELS: Record<string, string> = {
  issued: 'Issued',
  declined: 'Declined',
  honored: 'Honored',
  missedPickups: 'Missed pickups',
  shortNotices: 'Short notices',
  excluded: 'Excluded',
  declinesRetracted: 'Declines retracted',
  unacknowledged: 'Unacknowledged',
  acknowledged: 'Acknowledged as received',
  disputed: 'With an open dispute',
  flagged: 'Reconciliation flag',
  confirmed: 'Reconciliation confirmed',
  restrictivePolicy: 'Restrictive policy',
  reconciliationFlagged: 'Reconciliation flag',
  listed: 'Listed',
  rank: 'Rank',
  citations: 'Policies cited',
};

/** A change list's field (`excludedByReason.excluded_by_dispute`) in words (`Excluded by an upheld dispute`). */
export function figureName(field: string): string {
  const [head = '', sub] = field.split('.');
  if (sub === undefined) return FIGURE_LABELS[head] ?? humanize(head);
  switch (head) {
    case 'declinedByKind':
      return `Declined: ${label(DECLINE_KIND_LABELS, sub)}`;
    case 'declinedByAge':
      return `Declined at ${AGE_BUCKET_LABELS[sub] ?? humanize(sub)} after issue`;
    case 'declinedBySource':
      return `Declines ${label(SOURCE_LABELS, sub)}`;
    case 'honoredBySource':
      return `Honored, ${label(SOURCE_LABELS, sub)}`;
    case 'excludedByReason':
      return EXCLUSION_LABELS[sub] ?? `Excluded: ${humanize(sub)}`;
    default:
      return `${FIGURE_LABELS[head] ?? humanize(head)}: ${humanize(sub)}`;
  }
}

const SCOPE_LABELS: Record<string, string> = { state: 'State', jurisdiction: 'Jurisdiction', agency: 'Agency', section_i: 'Section I', section_iii: 'Section III' };

function value(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** `Nationwide, excluded by an upheld dispute: 1 → 2`. */
export function figureChangeInWords(f: ChangeList['figures'][number]): string {
  const where = f.scope === 'nationwide' ? 'Nationwide' : `${SCOPE_LABELS[f.scope] ?? humanize(f.scope)} ${f.key ?? ''}`.trim();
  return `${where}: ${figureName(f.field)} ${value(f.from)} → ${value(f.to)}`;
}

type Cause = ChangeList['records'][number]['because'][number];

/** An event behind a change, as a clause: `a dispute was upheld`, `a detainer was cancelled (issued in error)`. */
export function causeInWords(c: Cause): string {
  const d = c.detail ?? {};
  switch (c.kind) {
    case 'record_dispute_resolved':
      return d.decision === 'upheld' ? 'a dispute was upheld' : 'a dispute was rejected';
    case 'decline_retracted':
      return 'a decline was retracted';
    case 'record_excluded':
      return 'a record was excluded by an upheld dispute';
    case 'cancelled': {
      const reason = typeof d.reason === 'string' ? label(CANCEL_REASON_LABELS, d.reason).replace(/ \(never counts\)$/, '').toLowerCase() : '';
      return `a detainer was cancelled${reason ? ` (${reason})` : ''}`;
    }
    case 'detainer_issued':
      return 'a detainer was recorded late';
    case 'decline_recorded':
      return 'a decline was recorded';
    default:
      return label(EVENT_LABELS, c.kind).toLowerCase();
  }
}

/** Why a version came about, from its change list: the distinct causes in words, or null when none are recorded. */
export function reasonsOf(changes: ChangeList): string | null {
  const clauses = [...new Set(changes.records.flatMap((r) => r.because.map(causeInWords)))];
  return clauses.length ? clauses.join('; ') : null;
}
