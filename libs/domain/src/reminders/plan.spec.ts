import { LODGING_STATUSES, type LodgingStatus } from '../detainer/types';
import { CLARK, COOK, HOUR, Scenario } from '../detainer/scenario.fixture';
import { formatLocal, parseInstant, zoned } from '../time/local-time';
import { actionDue, anchorLabel, planReminders, type PlannedReminder, REMINDER_AUDIENCES, REMINDER_KINDS, reminderKey } from './plan';

const ISSUED_AT = new Date('2018-03-01T17:00:00Z');
const summary = (rs: PlannedReminder[]) => rs.map((r) => `${r.key}@${r.dueAt.toISOString()}`).sort();

function acknowledged(): Scenario {
  return Scenario.issued({ issuedAt: ISSUED_AT }).advance(2).do({ type: 'acknowledge', response: 'will_comply' });
}

describe('planReminders', () => {
  describe('unacknowledged', () => {
    it('an issued detainer reminds the agency and the supervisors 24 h after issue', () => {
      const s = Scenario.issued({ issuedAt: ISSUED_AT });
      const plan = planReminders(s.detainer, s.now);
      const due = new Date(ISSUED_AT.getTime() + 24 * HOUR);
      expect(summary(plan)).toEqual([`1.unacknowledged_24h.agency@${due.toISOString()}`, `1.unacknowledged_24h.supervisors@${due.toISOString()}`]);
      for (const r of plan) {
        expect(r).toMatchObject({ lodgingSeq: 1, kind: 'unacknowledged_24h', agencyId: CLARK.agencyId, areaId: CLARK.areaId, facilityId: CLARK.facilityId, timeZone: CLARK.timeZone });
        expect(r.anchorAt).toEqual(due);
      }
    });

    it('a detainer recorded after it was issued counts its 24 h from when it was recorded', () => {
      const recordedAt = new Date(ISSUED_AT.getTime() + 30 * HOUR);
      const s = Scenario.issued({ issuedAt: ISSUED_AT }, recordedAt);
      const plan = planReminders(s.detainer, s.now);
      expect(plan.map((r) => r.dueAt.getTime())).toEqual([recordedAt.getTime() + 24 * HOUR, recordedAt.getTime() + 24 * HOUR]);
    });

    it('acknowledging removes it', () => {
      const s = acknowledged();
      expect(planReminders(s.detainer, s.now)).toEqual([]);
    });

    it('a transfer to another agency starts a new 24 h for the receiving agency, keyed by the new lodging', () => {
      const s = acknowledged().advance(5).do({ type: 'release', at: new Date(ISSUED_AT.getTime() + 6 * HOUR), destination: 'other_agency', to: COOK });
      const plan = planReminders(s.detainer, s.now);
      const due = new Date(ISSUED_AT.getTime() + 30 * HOUR);
      expect(summary(plan)).toEqual([`2.unacknowledged_24h.agency@${due.toISOString()}`, `2.unacknowledged_24h.supervisors@${due.toISOString()}`]);
      expect(plan[0]).toMatchObject({ agencyId: COOK.agencyId, timeZone: COOK.timeZone, areaId: CLARK.areaId });
    });
  });

  describe('release', () => {
    it('48 h or more ahead: the agency and the office are reminded 48 elapsed hours before', () => {
      const s = acknowledged();
      const releaseAt = s.in(72);
      s.do({ type: 'schedule_release', releaseAt });
      const due = new Date(releaseAt.getTime() - 48 * HOUR);
      expect(summary(planReminders(s.detainer, s.now))).toEqual([`1.release_48h.agency@${due.toISOString()}`, `1.release_48h.office@${due.toISOString()}`]);
    });

    it('exactly 48 h ahead is not short notice: the reminder is due at once, 48 h before', () => {
      const s = acknowledged();
      s.do({ type: 'schedule_release', releaseAt: s.in(48) });
      const plan = planReminders(s.detainer, s.now);
      expect(plan.map((r) => r.kind)).toEqual(['release_48h', 'release_48h']);
      expect(plan[0].dueAt).toEqual(s.now);
    });

    it('less than 48 h ahead: only an immediate short-notice alert to the office, due when the schedule was recorded', () => {
      const s = acknowledged();
      const releaseAt = s.in(47.9);
      s.do({ type: 'schedule_release', releaseAt });
      const recordedAt = s.now;
      const plan = planReminders(s.detainer, s.now);
      expect(plan).toHaveLength(1);
      expect(plan[0]).toMatchObject({ key: '1.short_notice.office', kind: 'short_notice', audience: 'office', dueAt: recordedAt, anchorAt: releaseAt });
      // Planning again later (another event) gives the same reminder, so the diff keeps it rather than re-sending.
      expect(planReminders(s.detainer, s.in(3))).toEqual(plan);
    });

    it('a reschedule moves the reminders to the new time (same keys, new times)', () => {
      const s = acknowledged();
      s.do({ type: 'schedule_release', releaseAt: s.in(72) });
      const before = planReminders(s.detainer, s.now);
      s.advance(1).do({ type: 'schedule_release', releaseAt: s.in(100) });
      const after = planReminders(s.detainer, s.now);
      expect(after.map((r) => r.key)).toEqual(before.map((r) => r.key));
      expect(after[0].dueAt.getTime()).toBe(s.in(52).getTime());
    });

    it('a reschedule to under 48 h ahead replaces the 48 h reminders by a short-notice alert', () => {
      const s = acknowledged();
      s.do({ type: 'schedule_release', releaseAt: s.in(72) });
      s.advance(1).do({ type: 'schedule_release', releaseAt: s.in(10) });
      expect(planReminders(s.detainer, s.now).map((r) => r.key)).toEqual(['1.short_notice.office']);
    });

    it('a release recorded, a transfer to ICE or a cancellation ends every reminder', () => {
      const base = () => {
        const s = acknowledged();
        s.do({ type: 'schedule_release', releaseAt: s.in(72) });
        return s.advance(1);
      };
      expect(planReminders(base().do({ type: 'release', at: new Date(ISSUED_AT.getTime() + 3 * HOUR), destination: 'community' }).detainer, ISSUED_AT)).toEqual([]);
      const honored = base();
      expect(planReminders(honored.do({ type: 'transfer_to_ice', at: honored.now }).detainer, honored.now)).toEqual([]);
      expect(planReminders(base().do({ type: 'cancel', reason: 'lifted' }).detainer, ISSUED_AT)).toEqual([]);
    });

    it('refused in custody: the release is still announced (the person is still held)', () => {
      const s = acknowledged();
      s.do({ type: 'schedule_release', releaseAt: s.in(72) }).advance(1).do({ type: 'refuse', at: s.now, reason: 'county policy' });
      expect(s.lodging().status).toBe('refused');
      expect(planReminders(s.detainer, s.now).map((r) => r.kind)).toEqual(['release_48h', 'release_48h']);
    });
  });

  describe('daylight saving: reminders are elapsed hours before, whatever the wall clock does', () => {
    const NY = { ...CLARK, timeZone: 'America/New_York' };
    const cases = [
      // 01:30 on the fall-back day happens twice; each is reminded exactly 48 elapsed hours earlier.
      { name: 'fall back, first 01:30 (EDT)', releaseAt: '2026-11-01T01:30:00-04:00', expectedLocal: '2026-10-30T01:30:00-04:00' },
      { name: 'fall back, second 01:30 (EST)', releaseAt: '2026-11-01T01:30:00-05:00', expectedLocal: '2026-10-30T02:30:00-04:00' },
      { name: 'spring forward day, 01:30 EST', releaseAt: '2026-03-08T01:30:00-05:00', expectedLocal: '2026-03-06T01:30:00-05:00' },
      { name: 'the day after spring forward, 01:30 EDT', releaseAt: '2026-03-09T01:30:00-04:00', expectedLocal: '2026-03-07T00:30:00-05:00' },
    ];
    it.each(cases)('$name', ({ releaseAt, expectedLocal }) => {
      const release = parseInstant(releaseAt, 'releaseAt');
      const s = Scenario.issued({ issuedAt: new Date(release.getTime() - 10 * 24 * HOUR), place: NY }).do({ type: 'acknowledge', response: 'will_comply' });
      s.do({ type: 'schedule_release', releaseAt: release });
      const [reminder] = planReminders(s.detainer, s.now);
      expect(reminder.dueAt.getTime()).toBe(release.getTime() - 48 * 3_600_000);
      expect(zoned(reminder.dueAt, 'America/New_York').toString({ timeZoneName: 'never' })).toBe(expectedLocal);
    });

    it('a hold across spring forward: 12 h and 2 h before the deadline are elapsed hours', () => {
      const since = parseInstant('2026-03-07T12:00:00-05:00', 'since');
      const s = Scenario.issued({ issuedAt: new Date(since.getTime() - 24 * HOUR), place: NY }, new Date(since.getTime() - 23 * HOUR))
        .do({ type: 'acknowledge', response: 'will_comply' })
        .at(since)
        .do({ type: 'start_hold', since });
      const plan = planReminders(s.detainer, s.now);
      const expires = since.getTime() + 48 * HOUR;
      expect(formatLocal(new Date(expires), 'America/New_York')).toBe('Mon 9 Mar 2026 13:00 EDT (America/New_York)');
      expect(summary(plan)).toEqual(
        [
          `1.hold_12h.office@${new Date(expires - 12 * HOUR).toISOString()}`,
          `1.hold_2h.office@${new Date(expires - 2 * HOUR).toISOString()}`,
          `1.hold_expired.agency@${new Date(expires).toISOString()}`,
        ].sort(),
      );
    });
  });

  describe('hold', () => {
    function held(sinceHoursAgo = 0): Scenario {
      const s = acknowledged().advance(sinceHoursAgo + 1);
      return s.do({ type: 'start_hold', since: s.in(-sinceHoursAgo) });
    }

    it('reminds the office 12 h and 2 h before the deadline, and tells the agency at the deadline', () => {
      const s = held();
      const expires = s.lodging().holdExpiresAt!;
      expect(expires.getTime()).toBe(s.now.getTime() + 48 * HOUR);
      const plan = planReminders(s.detainer, s.now);
      expect(plan.map((r) => [r.kind, r.audience, (expires.getTime() - r.dueAt.getTime()) / HOUR])).toEqual([
        ['hold_12h', 'office', 12],
        ['hold_2h', 'office', 2],
        ['hold_expired', 'agency', 0],
      ]);
      for (const r of plan) expect(r.anchorAt).toEqual(expires);
    });

    it('the pre-2015 I-247 deadline skips weekends and holidays, and the reminders follow it', () => {
      // Friday 17:00 before Presidents Day (Mon 17 Feb 2014): the hold ends Wednesday 17:00 local.
      const since = parseInstant('2014-02-14T17:00:00-08:00', 'since');
      const s = Scenario.issued({ form: 'I-247', issuedAt: new Date(since.getTime() - 5 * HOUR) }, new Date(since.getTime() - 4 * HOUR))
        .do({ type: 'acknowledge', response: 'will_comply' })
        .at(since)
        .do({ type: 'start_hold', since });
      const plan = planReminders(s.detainer, s.now);
      expect(formatLocal(plan[2].dueAt, CLARK.timeZone)).toBe('Wed 19 Feb 2014 17:00 PST (America/Los_Angeles)');
      expect(plan[0].dueAt.getTime()).toBe(plan[2].dueAt.getTime() - 12 * HOUR);
    });

    it('a hold recorded late keeps only the latest reminder already due, plus those still ahead', () => {
      const late = held(40);
      // 40 h in: the 12 h reminder (due at 36 h) is due, the 2 h one is not: keep both.
      expect(planReminders(late.detainer, late.now).map((r) => r.kind)).toEqual(['hold_12h', 'hold_2h', 'hold_expired']);
      const later = held(47);
      expect(planReminders(later.detainer, later.now).map((r) => r.kind)).toEqual(['hold_2h', 'hold_expired']);
    });

    it('an already expired hold is told to the agency at once', () => {
      const s = acknowledged().advance(60);
      s.do({ type: 'start_hold', since: s.in(-50) });
      const plan = planReminders(s.detainer, s.now);
      expect(plan.map((r) => r.kind)).toEqual(['hold_expired']);
      expect(plan[0].dueAt.getTime()).toBeLessThan(s.now.getTime());
    });

    it('after refuse the hold fields remain as history but no hold reminder is planned', () => {
      const s = held().advance(1);
      s.do({ type: 'refuse', at: s.now, reason: 'new county policy' });
      expect(s.lodging().holdExpiresAt).toBeDefined();
      expect(planReminders(s.detainer, s.now)).toEqual([]);
    });

    it('a citizenship claim suspends the hold reminders; a rejected claim restores them', () => {
      const s = held().advance(1).do({ type: 'claim_citizenship', note: 'born in El Paso' });
      expect(planReminders(s.detainer, s.now)).toEqual([]);
      s.advance(1).do({ type: 'decide_identity_claim', decision: 'rejected', note: 'no record' });
      expect(planReminders(s.detainer, s.now).map((r) => r.kind)).toEqual(['hold_12h', 'hold_2h', 'hold_expired']);
    });
  });

  describe('every lodging status', () => {
    const expectations: Record<LodgingStatus, string> = {
      issued: 'unacknowledged',
      acknowledged: 'none',
      release_scheduled: 'release',
      held: 'hold',
      refused: 'release when one is scheduled',
      disputed: 'none',
      honored: 'none',
      released: 'none',
      transferred: 'none (the next lodging carries it)',
      misdirected: 'none',
      cancelled: 'none',
    };
    it('each status is covered by a rule above', () => {
      expect(Object.keys(expectations).sort()).toEqual([...LODGING_STATUSES].sort());
    });

    it('misdirected and acknowledged-without-release have none', () => {
      const m = Scenario.issued({ issuedAt: ISSUED_AT }).do({ type: 'report_not_in_custody' });
      expect(planReminders(m.detainer, m.now)).toEqual([]);
      const refusedNoRelease = acknowledged().do({ type: 'refuse', at: ISSUED_AT, reason: 'policy' });
      expect(planReminders(refusedNoRelease.detainer, refusedNoRelease.now)).toEqual([]);
    });
  });
});

describe('reminder wording', () => {
  it('every kind and audience names an action and its moment', () => {
    for (const kind of REMINDER_KINDS) {
      expect(anchorLabel(kind).length).toBeGreaterThan(3);
      for (const audience of REMINDER_AUDIENCES) expect(actionDue(kind, audience)).toMatch(/\.$/);
    }
    expect(actionDue('hold_expired', 'agency')).toMatch(/must end/);
    expect(actionDue('release_48h', 'office')).toMatch(/plan the pickup/);
  });

  it('keys are lodging.kind.audience and contain no ":" (they become part of job ids)', () => {
    expect(reminderKey(2, 'hold_2h', 'office')).toBe('2.hold_2h.office');
  });
});
