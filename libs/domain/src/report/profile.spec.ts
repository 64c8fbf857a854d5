import fc from 'fast-check';
import type { DetainerCommand } from '../detainer/types';
import { COOK, HOUR, Scenario } from '../detainer/scenario.fixture';
import { contributionsOf, profileContributionsOf } from './contributions';
import { disagreementsOf, measuredOf, NO_COUNTS, ratio } from './profile';

const profile = (s: Scenario) => profileContributionsOf(s.detainer).map((c) => ({ m: c.measure, seq: c.lodgingSeq, at: c.at.toISOString(), onTime: c.onTime, conclusion: c.conclusion }));

describe('profile contributions: what one detainer adds to measured practice', () => {
  it('an acknowledgment within 24 hours is on time, at the acknowledgment; a late one is counted late, when its 24 hours ended', () => {
    const prompt = Scenario.issued().advance(3).do({ type: 'acknowledge', response: 'will_comply' });
    expect(profile(prompt)).toEqual([{ m: 'lodged', seq: 1, at: prompt.now.toISOString(), onTime: true, conclusion: undefined }]);
    const late = Scenario.issued().advance(30).do({ type: 'acknowledge', response: 'will_comply' });
    expect(profile(late)).toEqual([{ m: 'lodged', seq: 1, at: new Date(late.detainer.issuedAt.getTime() + 24 * HOUR).toISOString(), onTime: false, conclusion: undefined }]);
    // unanswered so far: already counted as late, at the end of its 24 hours
    expect(profile(Scenario.issued())).toEqual([expect.objectContaining({ m: 'lodged', onTime: false })]);
  });

  it('a request cancelled unacknowledged inside its first 24 hours is not counted; excluded records add nothing', () => {
    expect(profile(Scenario.issued().advance(2).do({ type: 'cancel', reason: 'lifted' }, 'officer'))).toEqual([]);
    expect(profile(Scenario.issued().advance(2).do({ type: 'report_not_in_custody' }))).toEqual([]);
    expect(profile(Scenario.issued().advance(2).do({ type: 'acknowledge', response: 'will_comply' }).do({ type: 'cancel', reason: 'issued_in_error' }, 'officer'))).toEqual([]);
  });

  it('release notices: at least 48 hours ahead is on time, a short notice is not', () => {
    const long = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    long.do({ type: 'schedule_release', releaseAt: long.in(72) });
    expect(profile(long)[1]).toEqual({ m: 'release_notice', seq: 1, at: long.now.toISOString(), onTime: true, conclusion: undefined });
    const short = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    short.do({ type: 'schedule_release', releaseAt: short.in(10) });
    expect(profile(short)[1]).toMatchObject({ m: 'release_notice', onTime: false });
  });

  it('conclusions: custody to ICE, declined (with its kind, when recorded), missed pickup, released; a move to another agency is none', () => {
    const honored = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    honored.advance(1).do({ type: 'transfer_to_ice', at: honored.now }, 'officer');
    expect(profileContributionsOf(honored.detainer).find((c) => c.measure === 'concluded')).toMatchObject({ conclusion: 'custody_to_ice', holdAsked: true });

    const refused = Scenario.issued().advance(1).do({ type: 'refuse', at: Scenario.issued().in(1), reason: 'policy' });
    expect(profileContributionsOf(refused.detainer).find((c) => c.measure === 'concluded')).toMatchObject({ conclusion: 'declined', declineKind: 'refused' });

    const missed = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    missed.do({ type: 'schedule_release', releaseAt: missed.in(10) }).advance(10).do({ type: 'start_hold', since: missed.now }).advance(49).do({ type: 'release', at: missed.now, destination: 'community' });
    expect(profileContributionsOf(missed.detainer).find((c) => c.measure === 'concluded')).toMatchObject({ conclusion: 'missed_pickup', at: missed.now });

    const notifyOnly = Scenario.issued({ form: 'I-247N', issuedAt: new Date('2016-05-02T15:00:00Z') }).advance(1).do({ type: 'acknowledge', response: 'will_notify_only' });
    notifyOnly.do({ type: 'schedule_release', releaseAt: notifyOnly.in(60) }).advance(60).do({ type: 'release', at: notifyOnly.now, destination: 'community' });
    expect(profileContributionsOf(notifyOnly.detainer).find((c) => c.measure === 'concluded')).toMatchObject({ conclusion: 'released', holdAsked: false });

    const moved = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    moved.advance(1).do({ type: 'release', at: moved.now, destination: 'other_agency', to: COOK });
    expect(profile(moved).map((p) => [p.m, p.seq])).toEqual([['lodged', 1], ['lodged', 2]]);
    expect(profileContributionsOf(moved.detainer)[1]).toMatchObject({ jurisdictionId: COOK.jurisdictionId, at: new Date(moved.now.getTime() + 24 * HOUR) });
  });
});

describe('measured figures', () => {
  it('a zero denominator is no cases (rate null), not 0 %', () => {
    const m = measuredOf(NO_COUNTS);
    for (const r of Object.values(m)) expect(r).toMatchObject({ numerator: 0, denominator: 0, rate: null });
    expect(ratio(0, 4)).toEqual({ numerator: 0, denominator: 4, rate: 0 });
  });

  it('declined is split by kind and shares the denominator of custody to ICE; missed pickups are over the pickups due', () => {
    const m = measuredOf({ ...NO_COUNTS, concluded: 10, custodyToIce: 4, declinedRefused: 2, declinedNoNotice: 1, declinedHoldRefused: 1, missedPickups: 1, sent: 12, misdirected: 1, cancelledIssuedInError: 1 });
    expect(m.declined).toEqual({ numerator: 4, denominator: 10, rate: 0.4, byKind: { refused: 2, no_notice: 1, hold_refused: 1 } });
    expect(m.custodyToIce).toEqual({ numerator: 4, denominator: 10, rate: 0.4 });
    expect(m.missedPickups).toEqual({ numerator: 1, denominator: 5, rate: 0.2 });
    expect(m.misdirected.rate).toBeCloseTo(1 / 12);
  });

  it('says in a plain sentence where a certification and the records disagree, and stays silent with no cases', () => {
    const declared = { certifications: [{ kind: 'release_notice_48h' as const, certifiedOn: '2026-01-05' }], policies: [], programs287g: [] };
    const m = measuredOf({ ...NO_COUNTS, notices: 10, noticesOnTime: 4 });
    expect(disagreementsOf(declared, m)).toEqual([
      "Certified at least 48 hours' notice of release (certified 2026-01-05), but 40 % of releases scheduled in these weeks (4 of 10) were notified that far ahead.",
    ]);
    expect(disagreementsOf(declared, measuredOf(NO_COUNTS))).toEqual([]);
    expect(disagreementsOf(declared, measuredOf({ ...NO_COUNTS, notices: 10, noticesOnTime: 9 }))).toEqual([]);
  });
});

describe('profile contributions (property): one reading of the decline rule', () => {
  const commands: ((s: Scenario) => DetainerCommand)[] = [
    () => ({ type: 'acknowledge', response: 'will_comply' }),
    () => ({ type: 'acknowledge', response: 'will_not_comply', reason: 'policy' }),
    (s) => ({ type: 'schedule_release', releaseAt: s.in(30) }),
    (s) => ({ type: 'schedule_release', releaseAt: s.in(60) }),
    (s) => ({ type: 'start_hold', since: s.now }),
    (s) => ({ type: 'release', at: s.now, destination: 'community' }),
    (s) => ({ type: 'release', at: s.now, destination: 'other_agency', to: COOK }),
    (s) => ({ type: 'refuse', at: s.now, reason: 'policy' }),
    (s) => ({ type: 'transfer_to_ice', at: s.now }),
    () => ({ type: 'cancel', reason: 'lifted' }),
  ];
  const roleFor = (c: DetainerCommand) => (c.type === 'cancel' || c.type === 'transfer_to_ice' ? 'officer' : 'jail_staff');

  it('every declined contribution has a concluded twin (same lodging, instant and kind); at most one conclusion per lodging; excluded records add nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ pick: fc.nat(commands.length - 1), hours: fc.integer({ min: 0, max: 60 }) }), { maxLength: 12 }), (steps) => {
        const s = Scenario.issued();
        for (const step of steps) {
          s.advance(step.hours);
          const command = commands[step.pick](s);
          const role = roleFor(command);
          if (s.try(command, role).ok) s.do(command, role);
        }
        const report = contributionsOf(s.detainer);
        const prof = profileContributionsOf(s.detainer);
        if (report.some((c) => c.measure === 'excluded')) expect(prof).toEqual([]);
        for (const d of report.filter((c) => c.measure === 'declined')) {
          expect(prof).toContainEqual(expect.objectContaining({ measure: 'concluded', lodgingSeq: d.lodgingSeq, at: d.at, conclusion: 'declined', declineKind: d.declineKind, jurisdictionId: d.jurisdictionId }));
        }
        for (const h of report.filter((c) => c.measure === 'honored')) expect(prof).toContainEqual(expect.objectContaining({ measure: 'concluded', lodgingSeq: h.lodgingSeq, at: h.at, conclusion: 'custody_to_ice' }));
        for (const m of report.filter((c) => c.measure === 'missed_pickup')) expect(prof).toContainEqual(expect.objectContaining({ measure: 'concluded', lodgingSeq: m.lodgingSeq, conclusion: 'missed_pickup' }));
        const concluded = prof.filter((c) => c.measure === 'concluded').map((c) => c.lodgingSeq);
        expect(new Set(concluded).size).toBe(concluded.length);
        // short notices are exactly the release notices not on time
        expect(prof.filter((c) => c.measure === 'release_notice' && !c.onTime).map((c) => c.lodgingSeq)).toEqual(report.filter((c) => c.measure === 'short_notice').map((c) => c.lodgingSeq));
      }),
      { numRuns: 300 },
    );
  });
});
