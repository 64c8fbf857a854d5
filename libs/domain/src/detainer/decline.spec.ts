import { allowedActions } from './decider';
import { assessLodging, detainerDeclineSummary } from './decline';
import { CLARK, COOK, Scenario } from './scenario.fixture';
import type { DetainerForm, LodgingState } from './types';

const T = (iso: string) => new Date(iso);

function lodging(facts: Partial<LodgingState>): LodgingState {
  return {
    seq: 1,
    place: CLARK,
    status: 'issued',
    openedAt: T('2018-03-01T00:00:00Z'),
    declineReports: [],
    declined: false,
    shortNotice: false,
    missedPickup: false,
    ...facts,
  };
}

const RELEASED = T('2018-03-10T00:00:00Z');
const RECORDED = T('2018-03-10T02:00:00Z');
const released = (facts: Partial<LodgingState> = {}): LodgingState =>
  lodging({ status: 'released', destination: 'community', releasedAt: RELEASED, releaseRecordedAt: RECORDED, closedAt: RELEASED, ...facts });
const notified = { firstNoticeRecordedAt: T('2018-03-07T00:00:00Z'), noticeLeadHours: 72 };
const heldToExpiry = { holdSince: T('2018-03-07T12:00:00Z'), holdExpiresAt: T('2018-03-09T12:00:00Z') };
const heldNotExpired = { holdSince: T('2018-03-09T12:00:00Z'), holdExpiresAt: T('2018-03-11T12:00:00Z') };

describe('assessLodging: the rule on hand-built facts', () => {
  const cases: [string, DetainerForm, LodgingState, { declined: boolean; declineKind?: string; declineRecordedAt?: Date; missedPickup: boolean }][] = [
    ['open lodging: nothing yet', 'I-247A', lodging({ status: 'acknowledged', response: 'will_comply' }), { declined: false, missedPickup: false }],
    ['will_not_comply alone, still in custody', 'I-247A', lodging({ status: 'acknowledged', response: 'will_not_comply' }), { declined: false, missedPickup: false }],
    ['released without any notice', 'I-247A', released(), { declined: true, declineKind: 'no_notice', declineRecordedAt: RECORDED, missedPickup: false }],
    ['notice recorded after the release', 'I-247A', released({ firstNoticeRecordedAt: T('2018-03-10T00:00:01Z') }), { declined: true, declineKind: 'no_notice', declineRecordedAt: RECORDED, missedPickup: false }],
    ['notice recorded at the very instant of release counts', 'I-247N', released({ firstNoticeRecordedAt: RELEASED }), { declined: false, missedPickup: false }],
    ['notified, never held', 'I-247A', released({ ...notified }), { declined: true, declineKind: 'hold_refused', declineRecordedAt: RECORDED, missedPickup: false }],
    ['notified, released before the hold deadline', 'I-247D', released({ ...notified, ...heldNotExpired }), { declined: true, declineKind: 'hold_refused', declineRecordedAt: RECORDED, missedPickup: false }],
    ['notified, held to the deadline: missed pickup', 'I-247A', released({ ...notified, ...heldToExpiry }), { declined: false, missedPickup: true }],
    ['released exactly at the deadline: missed pickup', 'I-247A', released({ ...notified, holdSince: T('2018-03-08T00:00:00Z'), holdExpiresAt: RELEASED }), { declined: false, missedPickup: true }],
    ['held to the deadline but never notified: no_notice', 'I-247A', released({ ...heldToExpiry }), { declined: true, declineKind: 'no_notice', declineRecordedAt: RECORDED, missedPickup: false }],
    ['notify-only form, notified', 'I-247N', released({ ...notified }), { declined: false, missedPickup: false }],
    ['request for transfer, notified', 'I-247X', released({ ...notified }), { declined: false, missedPickup: false }],
    ['notify-only form, not notified', 'I-247X', released(), { declined: true, declineKind: 'no_notice', declineRecordedAt: RECORDED, missedPickup: false }],
    ['will_not_comply then released, even after notice and hold', 'I-247A', released({ response: 'will_not_comply', ...notified, ...heldToExpiry }), { declined: true, declineKind: 'refused', declineRecordedAt: RECORDED, missedPickup: false }],
    ['refused in custody: counts when recorded', 'I-247A', lodging({ status: 'refused', refusedAt: T('2018-03-05T00:00:00Z'), refusedRecordedAt: T('2018-03-05T01:00:00Z') }), { declined: true, declineKind: 'refused', declineRecordedAt: T('2018-03-05T01:00:00Z'), missedPickup: false }],
    ['refused, then released: still dated by the refusal', 'I-247A', released({ refusedAt: T('2018-03-05T00:00:00Z'), refusedRecordedAt: T('2018-03-05T01:00:00Z') }), { declined: true, declineKind: 'refused', declineRecordedAt: T('2018-03-05T01:00:00Z'), missedPickup: false }],
    ['refused, then cancelled: the refusal stands', 'I-247A', lodging({ status: 'cancelled', refusedAt: T('2018-03-05T00:00:00Z'), refusedRecordedAt: T('2018-03-05T01:00:00Z') }), { declined: true, declineKind: 'refused', declineRecordedAt: T('2018-03-05T01:00:00Z'), missedPickup: false }],
    ['cancelled without refusal', 'I-247A', lodging({ status: 'cancelled', response: 'will_not_comply' }), { declined: false, missedPickup: false }],
    ['honored', 'I-247A', lodging({ status: 'honored', honoredAt: RELEASED }), { declined: false, missedPickup: false }],
    ['honored, even with a decline report on it', 'I-247A', lodging({ status: 'honored', honoredAt: RELEASED, declineReports: [{ at: RELEASED, recordedAt: RECORDED, reason: 'x', source: 'lea_reported' }] }), { declined: false, missedPickup: false }],
    ['misdirected', 'I-247A', lodging({ status: 'misdirected', response: 'will_not_comply' }), { declined: false, missedPickup: false }],
    ['transferred to another agency', 'I-247A', lodging({ status: 'transferred', destination: 'other_agency', releasedAt: RELEASED, releaseRecordedAt: RECORDED, response: 'will_not_comply' }), { declined: false, missedPickup: false }],
    ['transferred, even with a decline report on it (imported history)', 'I-247A', lodging({ status: 'transferred', destination: 'other_agency', releasedAt: RELEASED, releaseRecordedAt: RECORDED, declineReports: [{ at: RELEASED, recordedAt: RECORDED, reason: 'x', source: 'lea_reported' }] }), { declined: false, missedPickup: false }],
    ['notify-only form with hold facts (imported history): notified, so neither declined nor a missed pickup', 'I-247N', released({ ...notified, ...heldToExpiry }), { declined: false, missedPickup: false }],
    ['decline reported on a missed pickup: kind from the form', 'I-247A', released({ ...notified, ...heldToExpiry, declineReports: [{ at: RELEASED, recordedAt: T('2018-03-12T00:00:00Z'), reason: 'x', source: 'ice_observed' }] }), { declined: true, declineKind: 'hold_refused', declineRecordedAt: T('2018-03-12T00:00:00Z'), missedPickup: false }],
    ['decline reported on a notified notify-only release', 'I-247N', released({ ...notified, declineReports: [{ at: RELEASED, recordedAt: T('2018-03-12T00:00:00Z'), reason: 'x', source: 'ice_observed' }] }), { declined: true, declineKind: 'no_notice', declineRecordedAt: T('2018-03-12T00:00:00Z'), missedPickup: false }],
  ];

  it.each(cases)('%s', (_name, form, facts, expected) => {
    const result = assessLodging(form, facts);
    expect(result).toEqual({ ...expected, shortNotice: facts.noticeLeadHours !== undefined && facts.noticeLeadHours < 48 });
  });

  it('flags short notice from the latest lead, never as a decline', () => {
    expect(assessLodging('I-247N', released({ firstNoticeRecordedAt: T('2018-03-09T00:00:00Z'), noticeLeadHours: 24 }))).toEqual({
      declined: false,
      shortNotice: true,
      missedPickup: false,
    });
    expect(assessLodging('I-247A', lodging({ status: 'release_scheduled', noticeLeadHours: 47.99 })).shortNotice).toBe(true);
    expect(assessLodging('I-247A', lodging({ status: 'release_scheduled', noticeLeadHours: 48 })).shortNotice).toBe(false);
  });
});

describe('the decline rule, case by case from domain.md', () => {
  const acknowledged = (response: 'will_comply' | 'will_not_comply' | 'will_notify_only' = 'will_comply') =>
    Scenario.issued().advance(1).do({ type: 'acknowledge', response });

  it('a refusal in custody is a decline recorded now, the person still held', () => {
    const s = acknowledged('will_not_comply').advance(3);
    s.do({ type: 'refuse', at: s.in(-1), reason: 'new county policy' });
    expect(s.lodging()).toMatchObject({ status: 'refused', declined: true, declineKind: 'refused', declineRecordedAt: s.now });
    expect(s.lodging().releasedAt).toBeUndefined();
    // a later release keeps the decline where it was recorded
    const refusalRecorded = s.now;
    s.advance(24 * 30).do({ type: 'release', at: s.now, destination: 'community' });
    expect(s.lodging()).toMatchObject({ status: 'released', declined: true, declineKind: 'refused', declineRecordedAt: refusalRecorded });
  });

  it('will_not_comply then a release is a refusal, recorded at the release', () => {
    const s = acknowledged('will_not_comply').advance(24 * 5);
    expect(s.lodging().declined).toBe(false);
    s.do({ type: 'release', at: s.in(-2), destination: 'community' });
    expect(s.lodging()).toMatchObject({ declined: true, declineKind: 'refused', declineRecordedAt: s.now, missedPickup: false });
  });

  it('a release with no notice at all is a decline (no_notice)', () => {
    const s = acknowledged().advance(24 * 5);
    s.do({ type: 'release', at: s.now, destination: 'community' });
    expect(s.lodging()).toMatchObject({ declined: true, declineKind: 'no_notice', declineRecordedAt: s.now });
  });

  it('notified but released before the hold deadline is a decline (hold_refused)', () => {
    const s = acknowledged();
    s.do({ type: 'schedule_release', releaseAt: s.in(72) }).advance(72);
    s.do({ type: 'start_hold', since: s.now }).advance(47.9);
    s.do({ type: 'release', at: s.now, destination: 'community' });
    expect(s.lodging()).toMatchObject({ declined: true, declineKind: 'hold_refused', missedPickup: false, shortNotice: false });
  });

  it('notified and released at the scheduled time without a hold is a decline (hold_refused)', () => {
    const s = acknowledged('will_notify_only');
    s.do({ type: 'schedule_release', releaseAt: s.in(72) }).advance(72);
    s.do({ type: 'release', at: s.now, destination: 'community' });
    expect(s.lodging()).toMatchObject({ declined: true, declineKind: 'hold_refused' });
  });

  it('notified and held until expiry, then released: a missed pickup, not a decline', () => {
    const s = acknowledged();
    s.do({ type: 'schedule_release', releaseAt: s.in(72) }).do({ type: 'plan_pickup', at: s.in(72) }).advance(72);
    s.do({ type: 'start_hold', since: s.now }).advance(48);
    s.do({ type: 'release', at: s.now, destination: 'community' });
    expect(s.lodging()).toMatchObject({ declined: false, missedPickup: true });
    expect(s.lodging().declineKind).toBeUndefined();
    expect(detainerDeclineSummary(s.detainer)).toEqual({ declined: false, shortNotice: false, missedPickup: true });
  });

  it('a notify-only form notified, even at short notice, is not declined', () => {
    const s = Scenario.issued({ form: 'I-247N', issuedAt: T('2016-05-02T16:00:00Z') }).advance(1).do({ type: 'acknowledge', response: 'will_notify_only' });
    s.do({ type: 'schedule_release', releaseAt: s.in(6) }).advance(6);
    s.do({ type: 'release', at: s.now, destination: 'community' });
    expect(s.lodging()).toMatchObject({ declined: false, shortNotice: true, missedPickup: false, noticeLeadHours: 6 });
  });

  it('an honored lodging cannot be declined afterwards (409)', () => {
    const s = acknowledged();
    s.do({ type: 'schedule_release', releaseAt: s.in(50) }).advance(50);
    s.do({ type: 'transfer_to_ice', at: s.now }).advance(24);
    const decision = s.try({ type: 'record_decline', at: s.in(-24), reason: 'listed by the report', source: 'ice_observed' }, 'supervisor');
    expect(decision.ok).toBe(false);
    if (!decision.ok) {
      expect(decision.error.code).toBe('invalid_transition');
      expect(decision.error.message).toContain("'honored'");
    }
    expect(s.lodging()).toMatchObject({ status: 'honored', declined: false });
  });

  it('a misdirected detainer is never declined', () => {
    const s = Scenario.issued().advance(2).do({ type: 'report_not_in_custody', note: 'never booked here' });
    expect(s.lodging()).toMatchObject({ status: 'misdirected', declined: false });
    expect(allowedActions(s.detainer)).toEqual([]);
    expect(s.try({ type: 'record_decline', at: s.now, reason: 'x', source: 'ice_observed' }, 'officer').ok).toBe(false);
  });

  it('a transfer to another agency is not a decline of the first lodging; a later decline belongs to the second', () => {
    const s = acknowledged('will_not_comply').advance(24);
    s.do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK }).advance(24 * 10);
    expect(s.lodging(1)).toMatchObject({ status: 'transferred', declined: false });
    s.do({ type: 'acknowledge', response: 'will_comply' }, 'jail_staff', COOK).advance(1);
    s.do({ type: 'release', at: s.now, destination: 'community' }, 'jail_staff', COOK);
    const last = s.events[s.events.length - 1];
    expect(last).toMatchObject({ kind: 'released', lodging: 2 });
    expect(s.lodging(1)).toMatchObject({ status: 'transferred', declined: false });
    expect(s.lodging(2)).toMatchObject({ status: 'released', declined: true, declineKind: 'no_notice', declineRecordedAt: s.now, place: COOK });
    expect(detainerDeclineSummary(s.detainer)).toMatchObject({ declined: true, declineKind: 'no_notice', declineRecordedAt: s.now });
  });

  it('a decline recorded after the fact belongs to the lodging holding the person then', () => {
    const s = acknowledged().advance(1);
    s.do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK }).advance(24 * 4);
    s.do({ type: 'record_decline', at: s.in(-24), reason: 'bonded out', source: 'ice_observed' }, 'officer', COOK);
    expect(s.events[s.events.length - 1]).toMatchObject({ kind: 'decline_recorded', lodging: 2 });
    expect(s.lodging(1).declined).toBe(false);
    expect(s.lodging(2)).toMatchObject({ declined: true, declineRecordedAt: s.now });
  });

  it('a notice recorded after the release does not count', () => {
    const s = acknowledged();
    const releaseAt = s.in(2);
    s.advance(3); // the release happened; the jail tells us of it late
    s.do({ type: 'schedule_release', releaseAt: s.in(-0.05) }); // 3 minutes ago: within clock skew
    expect(s.lodging().firstNoticeRecordedAt).toEqual(s.now);
    s.advance(7).do({ type: 'release', at: releaseAt, destination: 'community' });
    expect(s.lodging()).toMatchObject({ declined: true, declineKind: 'no_notice', declineRecordedAt: s.now, shortNotice: true });
  });

  it('a refusal years after issue is dated by its recording, not by the detainer', () => {
    const issuedAt = T('2014-06-02T15:00:00Z');
    const s = Scenario.issued({ form: 'I-247', issuedAt, place: { ...CLARK, jurisdictionId: 'US-TX-48453', timeZone: 'America/Chicago' } });
    s.advance(2).do({ type: 'acknowledge', response: 'will_comply' });
    s.at('2017-02-01T16:00:00Z').do({ type: 'refuse', at: T('2017-02-01T15:00:00Z'), reason: 'sheriff policy effective today' });
    expect(s.lodging()).toMatchObject({ declined: true, declineKind: 'refused', declineRecordedAt: T('2017-02-01T16:00:00Z') });
    expect(s.detainer.issuedAt).toEqual(issuedAt);
  });

  it('cancelling after a refusal keeps the refusal', () => {
    const s = acknowledged('will_not_comply');
    s.do({ type: 'refuse', at: s.now, reason: 'policy' }).advance(1);
    const refusedRecorded = s.lodging().refusedRecordedAt;
    s.do({ type: 'cancel', reason: 'lifted' });
    expect(s.lodging()).toMatchObject({ status: 'cancelled', declined: true, declineKind: 'refused', declineRecordedAt: refusedRecorded });
  });

  it('record_decline on a missed pickup is allowed once', () => {
    const s = acknowledged();
    s.do({ type: 'schedule_release', releaseAt: s.in(50) }).do({ type: 'start_hold', since: s.now }).advance(49);
    s.do({ type: 'release', at: s.now, destination: 'community' }).advance(24);
    expect(allowedActions(s.detainer)).toContain('record_decline');
    s.do({ type: 'record_decline', at: s.in(-24), reason: 'agency says it never held', source: 'lea_reported' });
    expect(s.lodging()).toMatchObject({ declined: true, declineKind: 'hold_refused', declineRecordedAt: s.now, missedPickup: false });
    expect(allowedActions(s.detainer)).not.toContain('record_decline');
  });
});

describe('detainerDeclineSummary', () => {
  it('takes the kind and date of the latest declined lodging, flags from the current one', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_not_comply' });
    s.do({ type: 'refuse', at: s.now, reason: 'policy' });
    const firstRecorded = s.now;
    s.advance(2).do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK });
    expect(detainerDeclineSummary(s.detainer)).toEqual({ declined: true, declineKind: 'refused', declineRecordedAt: firstRecorded, shortNotice: false, missedPickup: false });
    s.advance(1).do({ type: 'acknowledge', response: 'will_comply' }, 'jail_staff', COOK);
    s.do({ type: 'schedule_release', releaseAt: s.in(10) }, 'jail_staff', COOK).advance(10);
    s.do({ type: 'release', at: s.now, destination: 'community' }, 'jail_staff', COOK);
    expect(detainerDeclineSummary(s.detainer)).toEqual({ declined: true, declineKind: 'hold_refused', declineRecordedAt: s.now, shortNotice: true, missedPickup: false });
  });

  it('is not declined when no lodging is', () => {
    const s = Scenario.issued();
    expect(detainerDeclineSummary(s.detainer)).toEqual({ declined: false, shortNotice: false, missedPickup: false });
  });
});
