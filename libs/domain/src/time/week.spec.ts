import fc from 'fast-check';
import { DomainError } from '../errors';
import { localDateOf } from './local-time';
import { DEFAULT_WEEK_CONFIG, nextWeek, previousWeek, type WeekConfig, WEEKDAYS, weekConfigProblems, weekContaining, weekStartingOn } from './week';

const HOUR = 3_600_000;
/** Independent of the code under test: JS Date's UTC weekday of a calendar date (0 = Sunday). */
const weekdayOf = (date: string) => WEEKDAYS[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7];
const hours = (w: { start: Date; end: Date }) => (w.end.getTime() - w.start.getTime()) / HOUR;

describe('report weeks', () => {
  it('the 2017 report week: Saturday 28 January to Friday 3 February, US Eastern', () => {
    expect(DEFAULT_WEEK_CONFIG).toEqual({ startDay: 'saturday', startHour: 0, timeZone: 'America/New_York' });
    expect(weekStartingOn('2017-01-28', DEFAULT_WEEK_CONFIG)).toEqual({
      weekStart: '2017-01-28',
      weekEnd: '2017-02-03',
      start: new Date('2017-01-28T05:00:00Z'),
      end: new Date('2017-02-04T05:00:00Z'),
      timeZone: 'America/New_York',
    });
  });

  it.each([
    ['2017-01-28T05:00:00Z', '2017-01-28'], // first instant
    ['2017-02-04T04:59:59.999Z', '2017-01-28'], // last instant
    ['2017-02-04T05:00:00Z', '2017-02-04'], // the end belongs to the next week
    ['2017-01-28T04:59:59.999Z', '2017-01-21'],
    ['2017-02-01T14:00:00Z', '2017-01-28'],
  ])('%s lies in the week of %s', (instant, weekStart) => {
    expect(weekContaining(new Date(instant), DEFAULT_WEEK_CONFIG).weekStart).toBe(weekStart);
  });

  it('spans 167 hours across spring forward and 169 across fall back', () => {
    const spring = weekStartingOn('2017-03-11');
    expect(hours(spring)).toBe(167);
    expect(spring.end).toEqual(new Date('2017-03-18T04:00:00Z'));
    const fall = weekStartingOn('2017-11-04');
    expect(hours(fall)).toBe(169);
    expect(fall.start).toEqual(new Date('2017-11-04T04:00:00Z'));
    expect(fall.end).toEqual(new Date('2017-11-11T05:00:00Z'));
    expect(hours(weekStartingOn('2017-01-28'))).toBe(168);
    const la: WeekConfig = { startDay: 'sunday', startHour: 6, timeZone: 'America/Los_Angeles' };
    expect(hours(weekStartingOn('2017-03-05', la))).toBe(167);
    expect(hours(weekStartingOn('2017-10-29', la))).toBe(169);
    expect(hours(weekStartingOn('2017-11-05', la))).toBe(168);
  });

  it('starts at the first instant after the gap when startHour is skipped by DST', () => {
    const cfg: WeekConfig = { startDay: 'sunday', startHour: 2, timeZone: 'America/New_York' };
    const week = weekStartingOn('2017-03-12', cfg);
    expect(week.start).toEqual(new Date('2017-03-12T07:00:00Z')); // 03:00 EDT
    expect(previousWeek(week, cfg).end).toEqual(week.start);
    expect(weekContaining(new Date('2017-03-12T06:59:59Z'), cfg).weekStart).toBe('2017-03-05');
  });

  it('starts at the first occurrence when startHour happens twice', () => {
    const cfg: WeekConfig = { startDay: 'sunday', startHour: 1, timeZone: 'America/New_York' };
    expect(weekStartingOn('2017-11-05', cfg).start).toEqual(new Date('2017-11-05T05:00:00Z')); // 01:00 EDT
    expect(weekContaining(new Date('2017-11-05T06:30:00Z'), cfg).weekStart).toBe('2017-11-05'); // 01:30 EST
  });

  it('honours the configured day, hour and zone', () => {
    const cfg: WeekConfig = { startDay: 'monday', startHour: 8, timeZone: 'America/Chicago' };
    const week = weekContaining(new Date('2017-02-06T13:59:59Z'), cfg); // Monday 07:59 CST
    expect(week).toMatchObject({ weekStart: '2017-01-30', weekEnd: '2017-02-05', start: new Date('2017-01-30T14:00:00Z'), end: new Date('2017-02-06T14:00:00Z') });
    expect(nextWeek(week, cfg)).toMatchObject({ weekStart: '2017-02-06', start: new Date('2017-02-06T14:00:00Z') });
  });

  it('rejects a weekStart that is not the configured weekday, or malformed', () => {
    for (const [input, text] of [
      ['2017-01-29', 'is a Sunday; report weeks start on Saturday'],
      ['2017-1-28', 'YYYY-MM-DD'],
      ['2017-02-31', 'YYYY-MM-DD'],
      ['last week', 'YYYY-MM-DD'],
    ]) {
      let caught: unknown;
      try {
        weekStartingOn(input);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DomainError);
      if (caught instanceof DomainError) {
        expect(caught.code).toBe('invalid_input');
        expect(caught.details).toEqual([{ field: 'weekStart', message: expect.stringContaining(text) }]);
      }
    }
  });

  it('rejects an invalid configuration', () => {
    expect(weekConfigProblems({ startDay: 'saturday', startHour: 24, timeZone: 'Nowhere' })).toHaveLength(2);
    expect(weekConfigProblems(DEFAULT_WEEK_CONFIG)).toEqual([]);
    expect(() => weekContaining(new Date('2017-02-01T00:00:00Z'), { ...DEFAULT_WEEK_CONFIG, startHour: 1.5 })).toThrow(/startHour/);
  });
});

describe('report weeks (properties)', () => {
  const config = fc.record({
    startDay: fc.constantFrom(...WEEKDAYS),
    startHour: fc.integer({ min: 0, max: 23 }),
    timeZone: fc.constantFrom('America/New_York', 'America/Los_Angeles', 'America/Chicago', 'America/Phoenix', 'Pacific/Honolulu', 'America/Anchorage', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Europe/London', 'UTC'),
  });
  const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }).map((ms) => new Date(ms));

  it('every instant lies in exactly one week, and consecutive weeks abut', () => {
    fc.assert(
      fc.property(config, instant, (cfg, t) => {
        const week = weekContaining(t, cfg);
        expect(week.start.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(week.end.getTime());
        const next = nextWeek(week, cfg);
        const previous = previousWeek(week, cfg);
        expect(next.start).toEqual(week.end);
        expect(previous.end).toEqual(week.start);
        // the neighbours do not contain t
        expect(t.getTime()).toBeLessThan(next.start.getTime());
        expect(t.getTime()).toBeGreaterThanOrEqual(previous.end.getTime());
        // the week is found again from its own boundaries, and by its id
        expect(weekContaining(week.start, cfg)).toEqual(week);
        expect(weekContaining(new Date(week.end.getTime() - 1), cfg)).toEqual(week);
        expect(weekStartingOn(week.weekStart, cfg)).toEqual(week);
        expect(weekdayOf(week.weekStart)).toBe(cfg.startDay);
        expect(Date.parse(week.weekEnd) - Date.parse(week.weekStart)).toBe(6 * 24 * HOUR);
        // 7 local days: within a couple of hours of 168 in these zones
        expect(Math.abs(hours(week) - 168)).toBeLessThanOrEqual(2);
      }),
      { numRuns: 300 },
    );
  });

  it('weeks asked for many times, in any order, by instant and by id, still hold their instants and start on their ids', () => {
    fc.assert(
      fc.property(config, fc.array(instant, { minLength: 1, maxLength: 60 }), (cfg, instants) => {
        for (const t of [...instants, ...instants.reverse()]) {
          const week = weekContaining(t, cfg);
          expect(week.start.getTime()).toBeLessThanOrEqual(t.getTime());
          expect(t.getTime()).toBeLessThan(week.end.getTime());
          expect(weekdayOf(week.weekStart)).toBe(cfg.startDay);
          expect(localDateOf(week.start, cfg.timeZone)).toBe(week.weekStart);
          expect(weekStartingOn(week.weekStart, cfg)).toEqual(week);
          expect(weekContaining(new Date(week.start.getTime() - 1), cfg).end).toEqual(week.start);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a caller changing the dates of an answer does not change the next answer', () => {
    const t = new Date('2021-06-09T15:00:00Z');
    const first = weekContaining(t);
    first.start.setTime(0);
    first.end.setTime(0);
    expect(weekContaining(t)).toEqual(weekStartingOn('2021-06-05'));
  });
});
