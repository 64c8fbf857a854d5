import fc from 'fast-check';
import { isBusinessDay } from './federal-holidays';
import { addElapsedHours, HOLD_HOURS, holdExpiresAt, isShortNotice, NOTICE_HOURS, noticeLeadHours } from './timing';
import { toLocal } from './local-time';

const HOUR = 3_600_000;
const wallClock = (instant: Date, zone: string) => toLocal(instant, zone).localTime;

describe('48 elapsed hours across DST', () => {
  it.each([
    ['America/New_York', 'spring forward', '2017-03-11T17:00:00Z', '2017-03-11T12:00:00-05:00', '2017-03-13T13:00:00-04:00', 49],
    ['America/New_York', 'fall back', '2017-11-04T16:00:00Z', '2017-11-04T12:00:00-04:00', '2017-11-06T11:00:00-05:00', 47],
    ['America/Los_Angeles', 'spring forward', '2017-03-11T20:00:00Z', '2017-03-11T12:00:00-08:00', '2017-03-13T13:00:00-07:00', 49],
    ['America/Los_Angeles', 'fall back', '2017-11-04T19:00:00Z', '2017-11-04T12:00:00-07:00', '2017-11-06T11:00:00-08:00', 47],
  ])('%s %s: a hold lasts %s to %s (%s wall-clock hours)', (zone, _change, sinceIso, localSince, localEnd, wallHours) => {
    const since = new Date(sinceIso);
    for (const form of ['I-247A', 'I-247D'] as const) {
      const end = holdExpiresAt(form, since, zone);
      expect(end.getTime() - since.getTime()).toBe(48 * HOUR);
      expect(wallClock(since, zone)).toBe(localSince);
      expect(wallClock(end, zone)).toBe(localEnd);
    }
    const wall = (Date.parse(localEnd.slice(0, 19) + 'Z') - Date.parse(localSince.slice(0, 19) + 'Z')) / HOUR;
    expect(wall).toBe(wallHours);
    expect(addElapsedHours(since, HOLD_HOURS)).toEqual(holdExpiresAt('I-247A', since, zone));
  });
});

describe('the pre-2015 I-247: 48 hours of business days', () => {
  const NY = 'America/New_York';
  it.each([
    ['Friday 17:00 before MLK Day ends Wednesday 17:00', '2014-01-17T17:00:00-05:00', '2014-01-22T17:00:00-05:00'],
    ['a Saturday start counts from Tuesday 00:00 after MLK Day', '2014-01-18T10:00:00-05:00', '2014-01-23T00:00:00-05:00'],
    ['a Monday start ends Wednesday at the same time', '2014-02-03T09:30:00-05:00', '2014-02-05T09:30:00-05:00'],
    ['a Monday 00:00 start ends at Wednesday 00:00', '2014-02-03T00:00:00-05:00', '2014-02-05T00:00:00-05:00'],
    ['Thursday 08:00 skips the weekend: Monday 08:00', '2014-03-06T08:00:00-05:00', '2014-03-10T08:00:00-04:00'],
    ['across the spring DST weekend: Friday 17:00 to Tuesday 17:00', '2014-03-07T17:00:00-05:00', '2014-03-11T17:00:00-04:00'],
    ['across the fall DST weekend', '2014-10-31T17:00:00-04:00', '2014-11-04T17:00:00-05:00'],
    ['Christmas and New Year: Wed 2013-12-24 12:00', '2013-12-24T12:00:00-05:00', '2013-12-27T12:00:00-05:00'],
    ['Thanksgiving: Wed 2014-11-26 12:00 to Mon 12:00', '2014-11-26T12:00:00-05:00', '2014-12-01T12:00:00-05:00'],
  ])('%s', (_name, sinceIso, endIso) => {
    const end = holdExpiresAt('I-247', new Date(sinceIso), NY);
    expect(wallClock(end, NY)).toBe(endIso);
  });

  it('counts elapsed time within a business day shortened by DST', () => {
    // Egypt moved its clocks at midnight on Thursday 2014-05-15, so Friday lasted 23 hours:
    // Thu 12:00 -> 12 h Thursday + 23 h Friday + 13 h Monday = Monday 13:00, not 12:00.
    const end = holdExpiresAt('I-247', new Date('2014-05-15T12:00:00+02:00'), 'Africa/Cairo');
    expect(wallClock(end, 'Africa/Cairo')).toBe('2014-05-19T13:00:00+03:00');
  });

  it('other forms ignore weekends and holidays', () => {
    const since = new Date('2014-01-17T22:00:00Z');
    expect(holdExpiresAt('I-247D', since, NY)).toEqual(new Date('2014-01-19T22:00:00Z'));
  });

  it('agrees with an hour-by-hour count (property)', () => {
    const zones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];
    const dayOf = new Map(zones.map((z) => [z, new Intl.DateTimeFormat('en-CA', { timeZone: z, year: 'numeric', month: '2-digit', day: '2-digit' })]));
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1990, 0, 1) / HOUR, max: Date.UTC(2014, 11, 31) / HOUR }), (zone, hour) => {
        const since = new Date(hour * HOUR);
        const format = dayOf.get(zone);
        if (!format) throw new Error(zone);
        // Independent oracle: whole UTC hours are whole local hours in these zones; count business hours one by one.
        let counted = 0;
        let t = since.getTime();
        while (counted < 48) {
          if (isBusinessDay(format.format(new Date(t)))) counted += 1;
          t += HOUR;
        }
        expect(holdExpiresAt('I-247', since, zone).getTime()).toBe(t);
      }),
      { numRuns: 150 },
    );
  });
});

describe('notice lead', () => {
  it('is elapsed hours with 2 decimals, negative when late', () => {
    // Friday noon to Sunday noon in New York across the spring change: 47 elapsed hours
    expect(noticeLeadHours(new Date('2017-03-12T12:00:00-04:00'), new Date('2017-03-10T12:00:00-05:00'))).toBe(47);
    const recorded = new Date('2017-03-10T12:00:00Z');
    expect(noticeLeadHours(new Date('2017-03-12T11:20:00Z'), recorded)).toBe(47.33);
    expect(noticeLeadHours(new Date('2017-03-10T11:30:00Z'), recorded)).toBe(-0.5);
    expect(noticeLeadHours(new Date('2017-03-10T11:59:59Z'), recorded)).toBe(0); // rounds to 0, not -0
    expect(Object.is(noticeLeadHours(new Date('2017-03-10T11:59:59Z'), recorded), -0)).toBe(false);
    expect(noticeLeadHours(new Date('2017-03-10T11:09:18Z'), recorded)).toBe(-0.85); // -0.845 rounds away from zero
  });

  it('is short under 48 hours', () => {
    expect(NOTICE_HOURS).toBe(48);
    expect(isShortNotice(47.99)).toBe(true);
    expect(isShortNotice(-3)).toBe(true);
    expect(isShortNotice(48)).toBe(false);
    expect(isShortNotice(100)).toBe(false);
  });
});
