import { replay } from './decider';
import { decideRecordDispute, type RecordDisputeCommand } from './record-disputes';
import { actorFor, CLARK, COOK, Scenario } from './scenario.fixture';
import type { Role } from './types';

/** Applies a record-dispute command to a scenario, or returns the refusal. */
function dispute(s: Scenario, command: RecordDisputeCommand, role: Role | 'system', place = CLARK) {
  const decision = decideRecordDispute(s.detainer, command, { now: s.now, actor: actorFor(role, place) });
  if (decision.ok) {
    s.events.push(...decision.events);
    s.state = replay(s.events);
  }
  return decision;
}

describe('record disputes', () => {
  const releasedWithoutNotice = () => Scenario.issued().advance(2).do({ type: 'acknowledge', response: 'will_comply' }).advance(5).do({ type: 'release', at: new Date('2018-03-01T23:30:00Z'), destination: 'community' });

  it('the agency concerned disputes; the record says so and its status does not change', () => {
    const s = releasedWithoutNotice();
    expect(s.lodging().declined).toBe(true);
    const d = dispute(s, { type: 'dispute_record', disputeId: 'disp-1', reason: 'We notified by phone at 15:00' }, 'jail_staff');
    expect(d.ok).toBe(true);
    expect(s.detainer.status).toBe('released');
    expect(s.detainer.recordDisputes).toEqual([
      expect.objectContaining({ id: 'disp-1', lodging: 1, agencyId: CLARK.agencyId, status: 'open', reason: 'We notified by phone at 15:00' }),
    ]);
    expect(s.events.at(-1)).toMatchObject({ kind: 'record_disputed', source: 'lea_reported', lodging: 1 });
  });

  it('only jail staff of the agency concerned may dispute, and only one open dispute per lodging', () => {
    const s = releasedWithoutNotice();
    const officer = dispute(s, { type: 'dispute_record', disputeId: 'x', reason: 'r' }, 'officer');
    expect(officer.ok || officer.error.code).toBe('forbidden');
    const other = dispute(s, { type: 'dispute_record', disputeId: 'x', reason: 'r' }, 'jail_staff', COOK);
    expect(other.ok || other.error.code).toBe('forbidden');
    const noReason = dispute(s, { type: 'dispute_record', disputeId: 'x', reason: ' ' }, 'jail_staff');
    expect(noReason.ok || noReason.error.code).toBe('invalid_input');
    const missingLodging = dispute(s, { type: 'dispute_record', disputeId: 'x', reason: 'r', lodging: 7 }, 'jail_staff');
    expect(missingLodging.ok || missingLodging.error.code).toBe('invalid_input');
    expect(dispute(s, { type: 'dispute_record', disputeId: 'a', reason: 'r' }, 'jail_staff').ok).toBe(true);
    const again = dispute(s, { type: 'dispute_record', disputeId: 'b', reason: 'r' }, 'jail_staff');
    expect(again.ok || again.error.code).toBe('conflict');
  });

  it('upheld with retract_decline: the lodging is no longer declined, through a new event', () => {
    const s = releasedWithoutNotice();
    dispute(s, { type: 'dispute_record', disputeId: 'd1', reason: 'notified' }, 'jail_staff');
    const recordedAt = s.lodging().declineRecordedAt;
    s.advance(24);
    const r = dispute(s, { type: 'resolve_record_dispute', disputeId: 'd1', decision: 'upheld', note: 'Phone log confirms notice', correction: 'retract_decline' }, 'supervisor');
    expect(r.ok).toBe(true);
    expect(s.events.slice(-2).map((e) => e.kind)).toEqual(['record_dispute_resolved', 'decline_retracted']);
    expect(s.lodging()).toMatchObject({ declined: false, declineRetraction: { declineRecordedAt: recordedAt, declineKind: 'no_notice', disputeId: 'd1' } });
    expect(s.detainer.recordDisputes?.[0]).toMatchObject({ status: 'upheld', correction: 'retract_decline', note: 'Phone log confirms notice' });
    // a decision is final
    const twice = dispute(s, { type: 'resolve_record_dispute', disputeId: 'd1', decision: 'rejected', note: 'n' }, 'supervisor');
    expect(twice.ok || twice.error.code).toBe('invalid_transition');
  });

  it('a decline reported after the retraction counts again: it is a new fact', () => {
    const s = releasedWithoutNotice();
    dispute(s, { type: 'dispute_record', disputeId: 'd1', reason: 'notified' }, 'jail_staff');
    dispute(s, { type: 'resolve_record_dispute', disputeId: 'd1', decision: 'upheld', note: 'ok', correction: 'retract_decline' }, 'supervisor');
    expect(s.lodging().declined).toBe(false);
    s.advance(48).do({ type: 'record_decline', at: s.in(-1), reason: 'new evidence', source: 'ice_observed' }, 'officer');
    expect(s.lodging()).toMatchObject({ declined: true, declineRecordedAt: s.now });
  });

  it('a retracted refusal no longer makes a later release a refusal', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(1).do({ type: 'refuse', at: Scenario.issued().now, reason: 'policy' });
    s.advance(1);
    dispute(s, { type: 'dispute_record', disputeId: 'd', reason: 'entered by mistake' }, 'jail_staff');
    dispute(s, { type: 'resolve_record_dispute', disputeId: 'd', decision: 'upheld', note: 'clerical error', correction: 'retract_decline' }, 'supervisor');
    expect(s.lodging().declined).toBe(false);
    s.advance(1).do({ type: 'schedule_release', releaseAt: s.in(72) }).advance(72).do({ type: 'release', at: s.now, destination: 'community' });
    // notified 72 h ahead, not held: an I-247A asks for a hold, so this is hold_refused, not refused
    expect(s.lodging()).toMatchObject({ declined: true, declineKind: 'hold_refused' });
  });

  it('upheld with exclude_record: the detainer is excluded; rejected changes nothing', () => {
    const s = releasedWithoutNotice();
    dispute(s, { type: 'dispute_record', disputeId: 'd1', reason: 'never ours' }, 'jail_staff');
    const rejected = dispute(s, { type: 'resolve_record_dispute', disputeId: 'd1', decision: 'rejected', note: 'booking confirms' }, 'supervisor');
    expect(rejected.ok).toBe(true);
    expect(s.lodging().declined).toBe(true);
    expect(s.detainer.exclusion).toBeUndefined();
    dispute(s, { type: 'dispute_record', disputeId: 'd2', reason: 'never ours, really' }, 'jail_staff');
    dispute(s, { type: 'resolve_record_dispute', disputeId: 'd2', decision: 'upheld', note: 'duplicate record', correction: 'exclude_record' }, 'supervisor');
    expect(s.detainer.exclusion).toMatchObject({ disputeId: 'd2', note: 'duplicate record' });
  });

  it('refuses bad resolutions', () => {
    const s = Scenario.issued();
    dispute(s, { type: 'dispute_record', disputeId: 'd1', reason: 'not ours' }, 'jail_staff');
    const cases: [RecordDisputeCommand, Role, string][] = [
      [{ type: 'resolve_record_dispute', disputeId: 'd1', decision: 'upheld', note: 'n' }, 'supervisor', 'invalid_input'],
      [{ type: 'resolve_record_dispute', disputeId: 'd1', decision: 'upheld', note: 'n', correction: 'retract_decline' }, 'supervisor', 'invalid_input'],
      [{ type: 'resolve_record_dispute', disputeId: 'd1', decision: 'rejected', note: 'n', correction: 'exclude_record' }, 'supervisor', 'invalid_input'],
      [{ type: 'resolve_record_dispute', disputeId: 'd1', decision: 'rejected', note: '' }, 'supervisor', 'invalid_input'],
      [{ type: 'resolve_record_dispute', disputeId: 'nope', decision: 'rejected', note: 'n' }, 'supervisor', 'not_found'],
      [{ type: 'resolve_record_dispute', disputeId: 'd1', decision: 'rejected', note: 'n' }, 'officer', 'forbidden'],
      [{ type: 'resolve_record_dispute', disputeId: 'd1', decision: 'maybe' as 'upheld', note: 'n' }, 'supervisor', 'invalid_input'],
    ];
    for (const [command, role, code] of cases) {
      const r = dispute(s, command, role);
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
    }
  });
});
