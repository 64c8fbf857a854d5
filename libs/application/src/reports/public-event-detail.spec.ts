import { publicDetail } from './public-event-detail';

describe('publicDetail (what a change list says about an event in public)', () => {
  const at = new Date('2026-11-02T15:00:00Z');

  it('keeps codes and drops free text unless the agency made it public', () => {
    expect(publicDetail('record_disputed', { disputeId: 'd1', reason: 'Booked as J. Doe' }, at)).toEqual({ disputeId: 'd1' });
    expect(publicDetail('record_disputed', { disputeId: 'd1', reason: 'Wrong week', reasonPublic: true }, at)).toEqual({ disputeId: 'd1', reason: 'Wrong week' });
    expect(publicDetail('record_dispute_resolved', { disputeId: 'd1', decision: 'upheld', note: 'n' }, at)).toEqual({ disputeId: 'd1', decision: 'upheld', correction: null });
    expect(publicDetail('record_dispute_resolved', { disputeId: 'd1', decision: 'upheld', note: 'n', notePublic: true, correction: 'exclude' }, at))
      .toEqual({ disputeId: 'd1', decision: 'upheld', correction: 'exclude', note: 'n' });
    expect(publicDetail('cancelled', { reason: 'issued_in_error', note: 'Mr X is a citizen' }, at)).toEqual({ reason: 'issued_in_error' });
    expect(publicDetail('acknowledged', { response: 'will_comply', reason: 'r' }, at)).toEqual({ response: 'will_comply' });
    expect(publicDetail('decline_recorded', { source: 'ice_observed', reason: 'r' }, at)).toEqual({ source: 'ice_observed', at: at.toISOString() });
    expect(publicDetail('decline_retracted', { disputeId: 'd1', declineKind: 'refused', declineRecordedAt: at }, at)).toEqual({ disputeId: 'd1', declineKind: 'refused' });
    expect(publicDetail('record_excluded', { disputeId: 'd1', note: 'n' }, at)).toEqual({ disputeId: 'd1' });
    expect(publicDetail('detainer_issued', { subjectId: 's' }, at)).toEqual({ issuedAt: at.toISOString(), lateRecord: true });
  });

  it.each(['refused', 'citizenship_claimed', 'record_amended', 'queue_item_claimed', 'a_kind_no_longer_known'])('%s: only when it happened', (kind) => {
    expect(publicDetail(kind, { reason: 'free text', note: 'free text', holderId: 'u1' }, at)).toEqual({ at: at.toISOString() });
  });
});
