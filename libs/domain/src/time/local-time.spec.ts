import { DomainError } from '../errors';
import { formatLocal, isValidTimeZone, localDateOf, parseInstant, parseLocalDate, toLocal } from './local-time';

function invalidInputOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('isValidTimeZone', () => {
  it.each(['America/Los_Angeles', 'America/New_York', 'America/Phoenix', 'Pacific/Guam', 'America/Puerto_Rico', 'UTC'])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });
  it.each(['', 'PST', 'America/Springfield', '+05:00', '-08:00', 'america/new_york', 'Mars/Olympus'])('rejects %p', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

describe('toLocal and formatLocal', () => {
  const instant = new Date('2017-02-01T14:00:00Z');

  it('gives the local time with offset, zone and abbreviation', () => {
    expect(toLocal(instant, 'America/Los_Angeles')).toEqual({ localTime: '2017-02-01T06:00:00-08:00', timeZone: 'America/Los_Angeles', abbreviation: 'PST' });
    expect(toLocal(new Date('2017-07-04T16:30:15.999Z'), 'America/New_York')).toEqual({
      localTime: '2017-07-04T12:30:15-04:00',
      timeZone: 'America/New_York',
      abbreviation: 'EDT',
    });
    expect(toLocal(instant, 'UTC').localTime).toBe('2017-02-01T14:00:00+00:00');
  });

  it('formats for people', () => {
    expect(formatLocal(instant, 'America/Los_Angeles')).toBe('Wed 1 Feb 2017 06:00 PST (America/Los_Angeles)');
    expect(formatLocal(new Date('2016-11-06T06:30:00Z'), 'America/Chicago')).toBe('Sun 6 Nov 2016 01:30 CDT (America/Chicago)');
    expect(formatLocal(new Date('2016-11-06T07:30:00Z'), 'America/Chicago')).toBe('Sun 6 Nov 2016 01:30 CST (America/Chicago)');
  });

  it('refuses an invalid zone as invalid input', () => {
    expect(invalidInputOf(() => toLocal(instant, 'Nowhere/Land')).code).toBe('invalid_input');
  });
});

describe('localDateOf', () => {
  it('is the calendar date in the zone', () => {
    const instant = new Date('2017-04-02T05:00:00Z');
    expect(localDateOf(instant, 'America/New_York')).toBe('2017-04-02');
    expect(localDateOf(instant, 'America/Los_Angeles')).toBe('2017-04-01');
    expect(localDateOf(instant, 'Pacific/Guam')).toBe('2017-04-02');
  });
});

describe('parseLocalDate', () => {
  it('accepts real dates and rejects the rest', () => {
    expect(parseLocalDate('2016-02-29', 'd').toString()).toBe('2016-02-29');
    for (const bad of ['2017-02-29', '2017-2-3', '20170203', '2017-02-03T00:00', '']) {
      expect(invalidInputOf(() => parseLocalDate(bad, 'weekStart')).details).toEqual([{ field: 'weekStart', message: expect.stringContaining('YYYY-MM-DD') }]);
    }
  });
});

describe('parseInstant', () => {
  it.each([
    ['2017-02-01T06:00:00-08:00', '2017-02-01T14:00:00.000Z'],
    ['2017-02-01T14:00:00Z', '2017-02-01T14:00:00.000Z'],
    ['2017-02-01T14:00Z', '2017-02-01T14:00:00.000Z'],
    ['2017-02-01T14:00:00.123z', '2017-02-01T14:00:00.123Z'],
    ['2017-02-01T09:00:00+0500', '2017-02-01T04:00:00.000Z'],
    ['2017-02-01T06:00:00.5-08:00', '2017-02-01T14:00:00.500Z'],
  ])('reads %s with its offset', (input, expected) => {
    expect(parseInstant(input, 'at').toISOString()).toBe(expected);
    // a zone does not override an explicit offset
    expect(parseInstant(input, 'at', 'Asia/Tokyo').toISOString()).toBe(expected);
  });

  it('reads a local time in the given zone', () => {
    expect(parseInstant('2017-02-01T06:00', 'releaseAt', 'America/Los_Angeles').toISOString()).toBe('2017-02-01T14:00:00.000Z');
    expect(parseInstant('2017-07-01T06:00:00', 'releaseAt', 'America/Los_Angeles').toISOString()).toBe('2017-07-01T13:00:00.000Z');
    // next to, but not in, the gap and the overlap
    expect(parseInstant('2017-03-12T01:59:59', 'at', 'America/New_York').toISOString()).toBe('2017-03-12T06:59:59.000Z');
    expect(parseInstant('2017-03-12T03:00:00', 'at', 'America/New_York').toISOString()).toBe('2017-03-12T07:00:00.000Z');
    expect(parseInstant('2017-11-05T02:00:00', 'at', 'America/New_York').toISOString()).toBe('2017-11-05T07:00:00.000Z');
  });

  it('rejects a local time that does not exist (spring forward), asking for the offset', () => {
    const error = invalidInputOf(() => parseInstant('2017-03-12T02:30', 'releaseAt', 'America/New_York'));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual([{ field: 'releaseAt', message: error.message }]);
    expect(error.message).toContain('does not exist in America/New_York');
    expect(error.message).toContain('offset');
    expect(() => parseInstant('2017-03-12T02:00:00', 'at', 'America/Los_Angeles')).toThrow(/does not exist/);
  });

  it('rejects an ambiguous local time (fall back), offering both offsets', () => {
    const error = invalidInputOf(() => parseInstant('2017-11-05T01:30', 'at', 'America/New_York'));
    expect(error.details).toEqual([{ field: 'at', message: error.message }]);
    expect(error.message).toContain('occurs twice in America/New_York');
    expect(error.message).toContain('2017-11-05T01:30:00-04:00');
    expect(error.message).toContain('2017-11-05T01:30:00-05:00');
    expect(() => parseInstant('2016-11-06T01:00:00', 'at', 'America/Los_Angeles')).toThrow(/occurs twice/);
  });

  it('rejects a missing offset without a zone', () => {
    const error = invalidInputOf(() => parseInstant('2017-02-01T06:00:00', 'since'));
    expect(error.details).toEqual([{ field: 'since', message: expect.stringContaining('no UTC offset') }]);
  });

  it.each(['', 'tomorrow', '2017-02-01', '2017-02-30T10:00:00Z', '2017-13-01T10:00:00Z', '2017-02-01T25:00:00Z', '2017-02-01 06:00:00 PST', '1486000000000', '2017-02-01T06:00:00-08:00[America/Los_Angeles]'])(
    'rejects %p as invalid input',
    (input) => {
      const error = invalidInputOf(() => parseInstant(input, 'at', 'America/Los_Angeles'));
      expect(error.code).toBe('invalid_input');
      expect(error.details).toEqual([{ field: 'at', message: error.message }]);
    },
  );

  it('rejects an invalid zone for a local time', () => {
    expect(invalidInputOf(() => parseInstant('2017-02-01T06:00', 'at', 'Nowhere')).code).toBe('invalid_input');
  });
});
