import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../errors';
import { formatLocal, isValidTimeZone, localDateOf, parseInstant, parseLocalDate, toLocal, wallClockInstant } from './local-time';

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

describe('localDateOf and wallClockInstant agree with Temporal (properties)', () => {
  // US zones, zones with half-hour and 30-minute DST shifts, one that skipped a whole day (Apia, 30 December 2011), southern DST
  const zone = fc.constantFrom('America/New_York', 'America/Los_Angeles', 'America/Phoenix', 'America/Anchorage', 'Pacific/Honolulu', 'America/Puerto_Rico',
    'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Apia', 'America/Sao_Paulo', 'Europe/London', 'UTC');
  const FROM = Date.UTC(1990, 0, 1);
  const TO = Date.UTC(2060, 0, 1);
  const anyInstant = fc.integer({ min: FROM, max: TO });
  /** Instants within a few hours of a change of offset, where a shortcut would go wrong first. */
  const nearChange = fc.tuple(zone, anyInstant, fc.integer({ min: -4 * 3_600_000, max: 4 * 3_600_000 })).map(([z, ms, delta]) => {
    const change = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(z).getTimeZoneTransition('next');
    return [z, (change?.epochMilliseconds ?? ms) + delta] as const;
  });
  const either = fc.oneof(fc.tuple(zone, anyInstant), nearChange);

  it('the local date of an instant', () => {
    fc.assert(fc.property(either, ([z, ms]) => {
      expect(localDateOf(new Date(ms), z)).toBe(Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(z).toPlainDate().toString());
    }), { numRuns: 2000 });
  });

  it('the instant of a wall-clock time, skipped and repeated times included', () => {
    fc.assert(fc.property(either, fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }), ([z, ms], shift) => {
      // a wall-clock time near the instant's own: inside gaps and overlaps when near a change
      const local = Temporal.Instant.fromEpochMilliseconds(ms - (ms % 1000)).toZonedDateTimeISO(z).toPlainDateTime().add({ milliseconds: shift - (shift % 1000) }).toString();
      const expected = Temporal.PlainDateTime.from(local).toZonedDateTime(z, { disambiguation: 'compatible' }).epochMilliseconds;
      expect(wallClockInstant(local, z).getTime()).toBe(expected);
    }), { numRuns: 2000 });
  });

  it('an instant exactly at a change of offset belongs to the new offset, and the hour before it to the old one', () => {
    // asked first at the change itself (Winnipeg, asked nowhere else here: nothing is known of it yet)
    expect(localDateOf(new Date('2023-03-12T08:00:00Z'), 'America/Winnipeg')).toBe('2023-03-12');
    expect(localDateOf(new Date('2023-03-12T05:30:00Z'), 'America/Winnipeg')).toBe('2023-03-11'); // 23:30 CST
    expect(localDateOf(new Date('2023-03-12T06:00:00Z'), 'America/Winnipeg')).toBe('2023-03-12'); // 00:00 CST
  });

  it('a wall-clock time that is no real date is refused as Temporal refuses it', () => {
    expect(() => wallClockInstant('2023-02-30T00:00:00', 'America/Chicago')).toThrow(RangeError);
    expect(wallClockInstant('2023-03-12T02:30:00', 'America/Chicago').toISOString()).toBe('2023-03-12T08:30:00.000Z'); // skipped: an hour later
    expect(wallClockInstant('2023-11-05T01:30:00', 'America/Chicago').toISOString()).toBe('2023-11-05T06:30:00.000Z'); // repeated: the first
  });
});
