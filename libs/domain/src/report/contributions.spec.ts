import { decideRecordDispute } from '../detainer/record-disputes';
import { replay } from '../detainer/decider';
import { actorFor, CLARK, COOK, HOUR, Scenario } from '../detainer/scenario.fixture';
import { DEFAULT_WEEK_CONFIG } from '../time/week';
import { contributionsOf, weeksTouched } from './contributions';
import { ageBucket, declineSourceOf, exclusionOf } from './rules';

const measures = (s: Scenario) => contributionsOf(s.detainer).map((c) => [c.measure, c.jurisdictionId, c.at.toISOString()]);

describe('counting rules: what one detainer contributes', () => {
  it('issued counts at the jurisdiction lodged with at issue, by issuedAt, with acknowledgment', () => {
    const s = Scenario.issued({ form: 'I-247D', issuedAt: new Date('2017-01-30T15:00:00Z') }, new Date('2017-01-30T15:00:00Z'));
    expect(contributionsOf(s.detainer)).toEqual([
      expect.objectContaining({ measure: 'issued', jurisdictionId: CLARK.jurisdictionId, agencyId: CLARK.agencyId, at: new Date('2017-01-30T15:00:00Z'), acknowledged: false, disputed: false }),
    ]);
    s.advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    expect(contributionsOf(s.detainer)[0]).toMatchObject({ acknowledged: true });
  });

  it('a decline after a transfer belongs to the receiving agency, in the week it was recorded, with the detainer age', () => {
    const s = Scenario.issued({ form: 'I-247D', issuedAt: new Date('2016-01-04T15:00:00Z') }, new Date('2016-01-04T15:00:00Z'));
    s.advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    s.at('2017-01-30T15:00:00Z').do({ type: 'release', at: new Date('2017-01-30T15:00:00Z'), destination: 'other_agency', to: COOK });
    s.advance(1).do({ type: 'refuse', at: s.now, reason: 'new policy' }, 'jail_staff', COOK);
    const declined = contributionsOf(s.detainer).filter((c) => c.measure === 'declined');
    expect(declined).toEqual([
      expect.objectContaining({ jurisdictionId: COOK.jurisdictionId, lodgingSeq: 2, declineKind: 'refused', ageBucket: 'year_or_more', source: 'lea_reported', at: s.now }),
    ]);
    // issued still counts where it was lodged at issue, in 2016
    expect(measures(s)[0]).toEqual(['issued', CLARK.jurisdictionId, '2016-01-04T15:00:00.000Z']);
  });

  it('honored, missed pickups and short notices are their own measures, never declines', () => {
    const honored = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(1).do({ type: 'transfer_to_ice', at: Scenario.issued().in(2) }, 'officer');
    expect(measures(honored).map((m) => m[0])).toEqual(['issued', 'honored']);
    expect(contributionsOf(honored.detainer)[1]).toMatchObject({ source: 'ice_observed' });

    const missed = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    missed.do({ type: 'schedule_release', releaseAt: missed.in(10) }).advance(10).do({ type: 'start_hold', since: missed.now }).advance(49).do({ type: 'release', at: missed.now, destination: 'community' });
    expect(measures(missed).map((m) => m[0])).toEqual(['issued', 'missed_pickup', 'short_notice']);
    expect(missed.lodging().declined).toBe(false);
  });

  it('misdirected and excluding cancellations contribute only "excluded", in the issue week', () => {
    const misdirected = Scenario.issued().advance(1).do({ type: 'report_not_in_custody' });
    expect(contributionsOf(misdirected.detainer)).toEqual([expect.objectContaining({ measure: 'excluded', exclusion: 'misdirected' })]);
    const citizen = Scenario.issued().advance(1).do({ type: 'claim_citizenship', note: 'passport' }, 'jail_staff').advance(1).do({ type: 'decide_identity_claim', decision: 'upheld', note: 'verified' }, 'supervisor');
    expect(exclusionOf(citizen.detainer)).toBe('us_citizen');
    expect(contributionsOf(citizen.detainer)).toEqual([expect.objectContaining({ measure: 'excluded', exclusion: 'us_citizen', at: citizen.detainer.issuedAt })]);
    const lifted = Scenario.issued().advance(1).do({ type: 'cancel', reason: 'lifted' }, 'officer');
    expect(measures(lifted).map((m) => m[0])).toEqual(['issued']);
    // a refusal, then cancelled as issued in error: nothing counts but "excluded"
    const err = Scenario.issued().advance(1).do({ type: 'refuse', at: Scenario.issued().in(1), reason: 'x' }).advance(1).do({ type: 'cancel', reason: 'issued_in_error' }, 'officer');
    expect(measures(err).map((m) => m[0])).toEqual(['excluded']);
  });

  it('open disputes mark the lodging\'s contributions; a retracted decline stays visible as decline_retracted', () => {
    const s = Scenario.issued().advance(2).do({ type: 'acknowledge', response: 'will_comply' }).advance(5).do({ type: 'release', at: new Date('2018-03-01T23:30:00Z'), destination: 'community' });
    const apply = (command: Parameters<typeof decideRecordDispute>[1], role: 'jail_staff' | 'supervisor') => {
      const d = decideRecordDispute(s.detainer, command, { now: s.now, actor: actorFor(role, CLARK) });
      if (!d.ok) throw d.error;
      s.events.push(...d.events);
      s.state = replay(s.events);
    };
    apply({ type: 'dispute_record', disputeId: 'd', reason: 'we notified' }, 'jail_staff');
    expect(contributionsOf(s.detainer).every((c) => c.disputed)).toBe(true);
    const before = s.detainer;
    s.advance(24 * 10);
    apply({ type: 'resolve_record_dispute', disputeId: 'd', decision: 'upheld', note: 'log shows notice', correction: 'retract_decline' }, 'supervisor');
    expect(contributionsOf(s.detainer).map((c) => [c.measure, c.disputed])).toEqual([['issued', false], ['decline_retracted', false]]);
    expect(weeksTouched(before, s.detainer, DEFAULT_WEEK_CONFIG)).toEqual(['2018-02-24']);
  });

  it('weeksTouched names only the weeks whose figures change', () => {
    const s = Scenario.issued({ form: 'I-247D', issuedAt: new Date('2017-01-02T15:00:00Z') }, new Date('2017-01-02T15:00:00Z'));
    const issued = s.detainer;
    expect(weeksTouched(null, issued, DEFAULT_WEEK_CONFIG)).toEqual(['2016-12-31']);
    s.at('2017-02-01T15:00:00Z').do({ type: 'plan_pickup', at: s.in(100) }, 'officer');
    expect(weeksTouched(issued, s.detainer, DEFAULT_WEEK_CONFIG)).toEqual([]);
    const before = s.detainer;
    s.do({ type: 'refuse', at: s.now, reason: 'new policy' });
    // the issue week is untouched; the week the refusal was recorded changes
    expect(weeksTouched(before, s.detainer, DEFAULT_WEEK_CONFIG)).toEqual(['2017-01-28']);
  });

  it('age buckets use elapsed time with exclusive upper bounds', () => {
    const t0 = new Date('2017-03-01T00:00:00Z');
    const at = (h: number) => new Date(t0.getTime() + h * HOUR);
    expect(ageBucket(t0, t0)).toBe('under_week');
    expect(ageBucket(t0, at(7 * 24 - 0.001))).toBe('under_week');
    expect(ageBucket(t0, at(7 * 24))).toBe('under_month');
    expect(ageBucket(t0, at(30 * 24))).toBe('under_year');
    expect(ageBucket(t0, at(365 * 24 - 1))).toBe('under_year');
    expect(ageBucket(t0, at(365 * 24))).toBe('year_or_more');
  });

  it('the decline source is who reported the fact it rests on', () => {
    const refused = Scenario.issued().advance(1).do({ type: 'refuse', at: Scenario.issued().in(1), reason: 'x' });
    expect(declineSourceOf(refused.lodging())).toBe('lea_reported');
    const learned = Scenario.issued().advance(30).do({ type: 'record_decline', at: Scenario.issued().in(5), reason: 'gone', source: 'ice_observed' }, 'officer');
    expect(declineSourceOf(learned.lodging())).toBe('ice_observed');
    expect(declineSourceOf(Scenario.issued().lodging())).toBeUndefined();
  });
});
