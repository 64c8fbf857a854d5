import { elapsed, formatInZone, formatOffset, localDate, nextDate, offsetMinutesAt, resolveWallTime, startOfLocalDay, toLocalInputValue } from './time';

describe('web time helpers (facility local time with zone)', () => {
  it('formats an instant in the facility zone with its abbreviation, and the IANA zone on request', () => {
    expect(formatInZone('2017-02-01T14:00:00Z', 'America/Los_Angeles')).toBe('Wed 1 Feb 2017 06:00 PST');
    expect(formatInZone('2017-02-01T14:00:00Z', 'America/New_York', { withZone: true })).toBe('Wed 1 Feb 2017 09:00 EST (America/New_York)');
    expect(formatInZone('2026-07-01T12:00:00Z', 'America/Chicago', { weekday: false })).toBe('1 Jul 2026 07:00 CDT');
    expect(formatInZone('2026-07-01T12:00:00Z', 'America/Phoenix')).toBe('Wed 1 Jul 2026 05:00 MST');
    expect(formatInZone('not a date', 'UTC')).toBe('');
  });

  it('turns midnight into 00, not 24', () => {
    expect(formatInZone('2026-11-02T08:00:00Z', 'America/Los_Angeles')).toBe('Mon 2 Nov 2026 00:00 PST');
    expect(toLocalInputValue('2026-11-02T08:00:00Z', 'America/Los_Angeles')).toBe('2026-11-02T00:00');
  });

  it('gives offsets in minutes and as text', () => {
    expect(offsetMinutesAt(Date.parse('2026-01-15T12:00:00Z'), 'America/Los_Angeles')).toBe(-480);
    expect(offsetMinutesAt(Date.parse('2026-07-15T12:00:00Z'), 'America/Los_Angeles')).toBe(-420);
    expect(offsetMinutesAt(Date.parse('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(formatOffset(-480)).toBe('-08:00');
    expect(formatOffset(330)).toBe('+05:30');
    expect(formatOffset(0)).toBe('+00:00');
  });

  it('resolves an ordinary wall-clock time to one instant', () => {
    const r = resolveWallTime('2026-11-02T07:00', 'America/Los_Angeles');
    expect(r).toMatchObject({ kind: 'unique', offset: '-08:00', abbreviation: 'PST' });
    expect(r.kind === 'unique' && r.instant.toISOString()).toBe('2026-11-02T15:00:00.000Z');
  });

  it('finds no instant for a time skipped by spring forward', () => {
    expect(resolveWallTime('2026-03-08T02:30', 'America/Los_Angeles')).toEqual({ kind: 'missing' });
    expect(resolveWallTime('2026-03-08T03:00', 'America/Los_Angeles').kind).toBe('unique');
  });

  it('finds both instants, earlier first, for a time repeated by fall back', () => {
    const r = resolveWallTime('2026-11-01T01:30', 'America/Los_Angeles');
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    expect(r.options.map((o) => [o.offset, o.abbreviation, o.instant.toISOString()])).toEqual([
      ['-07:00', 'PDT', '2026-11-01T08:30:00.000Z'],
      ['-08:00', 'PST', '2026-11-01T09:30:00.000Z'],
    ]);
  });

  it('handles half-hour DST shifts and zones without DST', () => {
    const r = resolveWallTime('2026-04-05T01:45', 'Australia/Lord_Howe');
    expect(r.kind === 'ambiguous' && r.options.map((o) => o.offset)).toEqual(['+11:00', '+10:30']);
    expect(resolveWallTime('2026-03-08T02:30', 'America/Phoenix').kind).toBe('unique');
  });

  it('rejects what is not a date and time', () => {
    for (const bad of ['', '2026-02-30T10:00', '2026-11-02', '2026-11-02T25:00', 'tomorrow']) expect(resolveWallTime(bad, 'UTC')).toEqual({ kind: 'invalid' });
  });

  it('gives the first instant of a local day for date filters, even where DST skips midnight', () => {
    expect(startOfLocalDay('2026-11-02', 'America/Chicago')).toBe('2026-11-02T06:00:00.000Z');
    expect(startOfLocalDay('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    expect(startOfLocalDay('2026-13-01', 'UTC')).toBeNull();
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
    expect(localDate('2026-11-02T07:30:00Z', 'America/Los_Angeles')).toBe('2026-11-01');
  });

  it('says how long ago', () => {
    const t = Date.parse('2026-11-02T00:00:00Z');
    expect(elapsed(t, t + 12 * 60_000)).toBe('12 min');
    expect(elapsed(t, t + (5 * 60 + 10) * 60_000)).toBe('5 h 10 min');
    expect(elapsed(t, t + (3 * 24 + 4) * 3_600_000)).toBe('3 d 4 h');
    expect(elapsed(t + 1000, t)).toBe('0 min');
  });
});
