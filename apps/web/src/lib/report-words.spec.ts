import type { ChangeList } from '../api/types';
import { AGE_BUCKET_LABELS, AGE_BUCKET_ORDER, ageBars, causeInWords, figureChangeInWords, figureName, reasonsOf } from './report-words';

const cause = (kind: string, detail: Record<string, unknown> = {}) => ({ kind, recordedAt: '2026-11-02T15:00:00.000Z', source: 'system', detail });

describe('report words', () => {
  it('labels age buckets without overlap, youngest first, every bucket shown', () => {
    expect(AGE_BUCKET_ORDER.map((b) => AGE_BUCKET_LABELS[b])).toEqual(['0–6 days', '7–29 days', '30–364 days', '365+ days']);
    expect(ageBars({ year_or_more: 4, under_week: 1 })).toEqual([
      { label: '0–6 days', value: 1 }, { label: '7–29 days', value: 0 }, { label: '30–364 days', value: 0 }, { label: '365+ days', value: 4 },
    ]);
  });

  it('names change-list fields in words, never internal keys', () => {
    expect(figureName('excludedByReason.excluded_by_dispute')).toBe('Excluded by an upheld dispute');
    expect(figureName('excludedByReason.issued_in_error')).toBe('Excluded: issued in error');
    expect(figureName('declinedByKind.no_notice')).toBe('Declined: released without notice');
    expect(figureName('declinedByAge.under_month')).toBe('Declined at 7–29 days after issue');
    expect(figureName('declinedBySource.ice_observed')).toBe('Declines observed by ICE');
    expect(figureName('missedPickups')).toBe('Missed pickups');
    expect(figureName('someNewField')).toBe('SomeNewField');
    expect(figureChangeInWords({ scope: 'nationwide', key: null, field: 'excludedByReason.excluded_by_dispute', from: 1, to: 2 }))
      .toBe('Nationwide: Excluded by an upheld dispute 1 → 2');
    expect(figureChangeInWords({ scope: 'agency', key: 'WA0170000', field: 'flagged', from: true, to: false })).toBe('Agency WA0170000: Reconciliation flag yes → no');
    expect(figureChangeInWords({ scope: 'section_i', key: 'US-WA-53033', field: 'listed', from: null, to: true })).toBe('Section I US-WA-53033: Listed — → yes');
  });

  it('says why a version came about, from the events behind its changes', () => {
    expect(causeInWords(cause('record_dispute_resolved', { decision: 'upheld' }))).toBe('a dispute was upheld');
    expect(causeInWords(cause('cancelled', { reason: 'issued_in_error' }))).toBe('a detainer was cancelled (issued in error)');
    const changes = {
      weekStart: '2026-10-31', version: 3, previousVersion: 2, publishedAt: '2026-11-02T15:00:00.000Z', summary: '', figures: [],
      records: [
        { caseRef: 'c1', measure: 'declined', jurisdictionCode: 'X', change: 'removed', before: null, after: null, because: [cause('record_dispute_resolved', { decision: 'upheld' }), cause('decline_retracted')] },
        { caseRef: 'c2', measure: 'declined', jurisdictionCode: 'X', change: 'removed', before: null, after: null, because: [cause('record_dispute_resolved', { decision: 'upheld' })] },
      ],
    } as ChangeList;
    expect(reasonsOf(changes)).toBe('a dispute was upheld; a decline was retracted');
    expect(reasonsOf({ ...changes, records: [] })).toBeNull();
  });
});
