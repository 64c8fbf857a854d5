import fc from 'fast-check';
import { decide, replay } from '../detainer/decider';
import type { LodgingPlace } from '../detainer/types';
import { contributionsOf } from '../report/contributions';
import { DEFAULT_WEEK_CONFIG, weekContaining } from '../time/week';
import {
  checkPlacedRow, formOf, importedEvents, ImportedRecord, isQuarantined, liftOutcomeOf, normalizeHeader, parseReleaseDate, RawReleaseRow, readReleaseRow,
  RELEASE_COLUMNS, releaseInstant, ReleaseRowFacts, undatedLift,
} from './ice-release';

const TRAVIS: LodgingPlace = { facilityId: 'fac-travis', agencyId: 'agency-travis', jurisdictionId: 'US-TX-48453', areaId: 'SNA', timeZone: 'America/Chicago' };

/** The lift reasons as the releases spell them, with the outcome domain.md gives each. */
const NAMED_REASONS: [string, ReturnType<typeof liftOutcomeOf>][] = [
  ['Booked into Detention', 'honored'],
  ['Detainer Declined by LEA', 'declined'],
  ['USC or Presumptive Claim to US Citizenship', 'us_citizen'],
  ['Prosecutorial Discretion', 'lifted'],
  ['Case Closed', 'lifted'],
  ['Not Amenable to Removal', 'lifted'],
  ['Superseded', 'superseded'],
  ['Duplicate Detainer', 'superseded'],
  ['No longer in State, Local, or Federal Custody', 'released_unknown'],
  ['Other', 'released_unknown'],
];

const row = (over: RawReleaseRow = {}): RawReleaseRow => ({
  unique_id: 'U1', detention_facility_code: 'TRAVITX', detainer_prepare_date: '2017-01-28 09:00:00', detainer_type: 'I-247D',
  detainer_lift_reason: null, detainer_lift_date: null, facility_aor: 'sna', citizenship_country: 'MEXICO', gender: 'M', birth_year: '1980',
  most_serious_conviction_msc_charge: 'Burglary', ...over,
});

const facts = (over: RawReleaseRow = {}): ReleaseRowFacts => {
  const r = readReleaseRow(row(over));
  if (isQuarantined(r)) throw new Error(`quarantined: ${r.detail}`);
  return r;
};

const record = (f: ReleaseRowFacts): ImportedRecord => ({ detainerId: 'd-1', subjectId: 's-1', place: TRAVIS, facts: f, sha256: 'a'.repeat(64), file: 'release.csv' });
const stateOf = (f: ReleaseRowFacts) => replay(importedEvents(record(f)));
const measuresOf = (f: ReleaseRowFacts) => contributionsOf(stateOf(f)).map((c) => c.measure);

/** Spell a string as the releases might: any case, runs of spaces or underscores, padding. */
const respelled = (s: string): fc.Arbitrary<string> =>
  fc.tuple(fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.constantFrom(' ', '  ', '_'), fc.constantFrom('', ' ', '  ')).map(([upper, sep, pad]) =>
    pad + [...s].map((c, i) => (c === ' ' ? sep : upper[i] ? c.toUpperCase() : c.toLowerCase())).join('') + pad);

describe('the federal release: lift reasons', () => {
  it.each(NAMED_REASONS)('%s is %s', (reason, outcome) => {
    expect(liftOutcomeOf(reason)).toBe(outcome);
  });

  it('no reason is a request still in force', () => {
    for (const r of [null, undefined, '', '   ']) expect(liftOutcomeOf(r)).toBe('in_force');
  });

  it('the mapping ignores case and spacing (property)', () => {
    const spelled = fc.constantFrom(...NAMED_REASONS).chain(([reason, outcome]) => respelled(reason).map((s) => [s, outcome] as const));
    fc.assert(fc.property(spelled, ([s, outcome]) => liftOutcomeOf(s) === outcome), { numRuns: 300 });
  });

  it('only "Detainer Declined by LEA" is a decline: any other text never is (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (reason) => {
      const outcome = liftOutcomeOf(reason);
      const isDeclineText = reason.trim().toLowerCase().replace(/[\s_]+/g, ' ') === 'detainer declined by lea';
      return (outcome === 'declined') === isDeclineText;
    }), { numRuns: 500 });
  });
});

describe('the federal release: what an imported record counts', () => {
  it('"Detainer Declined by LEA" is an ice_observed decline in the week of its lift date, not of its prepare date', () => {
    const f = facts({ detainer_prepare_date: '2016-01-04', detainer_lift_reason: 'Detainer Declined by LEA', detainer_lift_date: '2017-01-28 10:00' });
    const c = contributionsOf(stateOf(f));
    const declined = c.filter((x) => x.measure === 'declined');
    expect(declined).toEqual([expect.objectContaining({ source: 'ice_observed', at: releaseInstant('2017-01-28T10:00:00', TRAVIS.timeZone), ageBucket: 'year_or_more' })]);
    expect(weekContaining(declined[0].at, DEFAULT_WEEK_CONFIG).weekStart).toBe('2017-01-28');
    expect(c.find((x) => x.measure === 'issued')!.at).toEqual(releaseInstant('2016-01-04T00:00:00', TRAVIS.timeZone));
  });

  it('a decline with no lift date is in no week: issued only, and marked undated', () => {
    const f = facts({ detainer_lift_reason: 'Detainer Declined by LEA' });
    expect(measuresOf(f)).toEqual(['issued']);
    expect(undatedLift(f)).toBe(true);
  });

  it('a citizenship claim is an exclusion, with or without a lift date', () => {
    for (const date of [null, '2017-02-01']) {
      const f = facts({ detainer_lift_reason: 'USC or Presumptive Claim to US Citizenship', detainer_lift_date: date });
      expect(contributionsOf(stateOf(f))).toEqual([expect.objectContaining({ measure: 'excluded', exclusion: 'us_citizen' })]);
      expect(undatedLift(f)).toBe(false);
    }
  });

  it('"Booked into Detention" is honored on its lift date', () => {
    const f = facts({ detainer_lift_reason: 'Booked into Detention', detainer_lift_date: '2017-02-01' });
    expect(measuresOf(f)).toEqual(['issued', 'honored']);
  });

  it('every lift reason but the decline adds no decline, dated or not (property)', () => {
    const reasons = fc.oneof(fc.constantFrom(...NAMED_REASONS.map(([r]) => r).filter((r) => r !== 'Detainer Declined by LEA')), fc.string({ maxLength: 30 }));
    const liftDate = fc.option(fc.date({ min: new Date('2017-01-29T00:00:00Z'), max: new Date('2017-03-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    fc.assert(fc.property(reasons, liftDate, (reason, date) => {
      fc.pre(liftOutcomeOf(reason) !== 'declined');
      const f = facts({ detainer_lift_reason: reason, detainer_lift_date: date });
      const state = stateOf(f);
      return !measuresOf(f).includes('declined') && state.lodgings.every((l) => !l.declined);
    }), { numRuns: 300 });
  });

  it('the decline is in the week of its lift date, whatever the dates (property)', () => {
    const day = fc.date({ min: new Date('2015-01-02T00:00:00Z'), max: new Date('2017-03-30T00:00:00Z'), noInvalidDate: true });
    fc.assert(fc.property(day, fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 23 }), (prepared, days, hour) => {
      const lift = new Date(prepared.getTime() + days * 86_400_000);
      const liftLocal = `${lift.toISOString().slice(0, 10)} ${String(hour).padStart(2, '0')}:00:00`;
      const f = facts({ detainer_prepare_date: prepared.toISOString().slice(0, 10), detainer_lift_reason: 'Detainer Declined by LEA', detainer_lift_date: liftLocal });
      const declined = contributionsOf(stateOf(f)).filter((c) => c.measure === 'declined');
      return declined.length === 1 && declined[0].at.getTime() === releaseInstant(liftLocal.replace(' ', 'T'), TRAVIS.timeZone).getTime();
    }), { numRuns: 200 });
  });

  it('an imported record is read-only to every action', () => {
    const state = stateOf(facts());
    const ctx = { now: new Date('2017-02-01T00:00:00Z'), actor: { kind: 'user' as const, id: 'u', role: 'jail_staff' as const, agencyId: TRAVIS.agencyId, areaId: null } };
    const tried = [decide(state, { type: 'acknowledge', response: 'will_comply' }, ctx), decide(state, { type: 'cancel', reason: 'other' }, { ...ctx, actor: { ...ctx.actor, role: 'officer', agencyId: null, areaId: TRAVIS.areaId } })];
    for (const d of tried) {
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.error.message).toMatch(/imported from the federal release/);
    }
  });
});

describe('the federal release: reading a row', () => {
  it('headers match case- and space-insensitively (property)', () => {
    fc.assert(fc.property(fc.constantFrom(...RELEASE_COLUMNS), fc.constantFrom(' ', '_', '  ', ' _ '), fc.boolean(), fc.constantFrom('', ' ', '\uFEFF'), (column, sep, title, pad) => {
      const spelled = column.split('_').map((w) => (title ? w.charAt(0).toUpperCase() + w.slice(1) : w.toUpperCase())).join(sep);
      return normalizeHeader(`${pad}${spelled} `) === column;
    }), { numRuns: 300 });
    expect(normalizeHeader('Detainer Prepare Date')).toBe('detainer_prepare_date');
    expect(normalizeHeader('Most Serious Conviction (MSC) Charge')).toBe('most_serious_conviction_msc_charge');
  });

  it.each([
    ['2017-01-28', '2017-01-28T00:00:00'],
    ['2017-01-28 14:32:00', '2017-01-28T14:32:00'],
    ['2017-01-28T14:32', '2017-01-28T14:32:00'],
    ['2017-01-28T14:32:05.000Z', '2017-01-28T14:32:05'],
    ['1/5/2017', '2017-01-05T00:00:00'],
    ['01/05/2017 2:32 PM', '2017-01-05T14:32:00'],
    ['01/05/2017 12:05 AM', '2017-01-05T00:05:00'],
    ['01/05/2017 12:05 PM', '2017-01-05T12:05:00'],
    ['2/29/2016', '2016-02-29T00:00:00'],
  ])('parses %s', (text, local) => {
    expect(parseReleaseDate(text)).toBe(local);
  });

  it.each(['2017-02-29', '2/30/2017', '13/01/2017', '2017-01-28 25:00', '01/05/2017 13:00 PM', 'yesterday', '1889-01-01', '20170128', '2017-1-28'])('refuses %s', (text) => {
    expect(parseReleaseDate(text)).toBeNull();
  });

  it('a spreadsheet or Parquet date is its UTC wall clock', () => {
    expect(parseReleaseDate(new Date(Date.UTC(2017, 0, 28, 9, 30)))).toBe('2017-01-28T09:30:00');
    expect(parseReleaseDate(new Date(Number.NaN))).toBeNull();
    // a date cell read without its format is its serial: days since 1899-12-30
    expect(parseReleaseDate(42740.41666666667)).toBe('2017-01-05T10:00:00');
    expect(parseReleaseDate(12)).toBeNull();
  });

  it('every real date round-trips in both spellings (property)', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString().slice(0, 19);
      const [y, m, day] = iso.slice(0, 10).split('-').map(Number);
      const h = d.getUTCHours();
      const us = `${m}/${day}/${y} ${h % 12 === 0 ? 12 : h % 12}:${iso.slice(14, 16)}:${iso.slice(17, 19)} ${h < 12 ? 'AM' : 'PM'}`;
      return parseReleaseDate(iso.replace('T', ' ')) === iso && parseReleaseDate(us) === iso && parseReleaseDate(d) === iso;
    }), { numRuns: 300 });
  });

  it('quarantines rows it cannot read, naming why', () => {
    const reason = (over: RawReleaseRow) => {
      const r = readReleaseRow(row(over));
      return isQuarantined(r) ? r.reason : null;
    };
    expect(reason({ unique_id: ' ' })).toBe('missing_unique_id');
    expect(reason({ detention_facility_code: 'NA' })).toBe('unmapped_facility');
    expect(reason({ detainer_prepare_date: '2017-02-30' })).toBe('bad_date');
    expect(reason({ detainer_lift_date: 'soon' })).toBe('bad_date');
    expect(reason({ detainer_type: 'I-203' })).toBe('unknown_form');
    expect(reason({ detainer_lift_date: '2017-01-27' })).toBe('lift_before_prepare');
    expect(reason({})).toBeNull();
  });

  it('reads forms however spelled, and checks the form against the prepare date', () => {
    expect(['I-247A', 'i247a', 'Form I-247A', ' I 247A '].map(formOf)).toEqual(['I-247A', 'I-247A', 'I-247A', 'I-247A']);
    expect(formOf('I-247Z')).toBeNull();
    expect(checkPlacedRow(facts({ detainer_type: 'I-247A', detainer_prepare_date: '2017-01-28' }), TRAVIS.timeZone)).toMatchObject({ reason: 'form_not_valid_on_date' });
    expect(checkPlacedRow(facts({ detainer_type: 'I-247D', detainer_prepare_date: '2017-01-28' }), TRAVIS.timeZone)).toBeNull();
  });

  it('codes are upper-cased, birth years read only when they are years', () => {
    const f = facts({ detention_facility_code: ' travitx ', birth_year: '1980.0' });
    expect(f).toMatchObject({ facilityCode: 'TRAVITX', facilityAor: 'SNA', birthYear: 1980, citizenshipCountry: 'MEXICO' });
    expect(facts({ birth_year: 'unknown' }).birthYear).toBeNull();
  });
});
