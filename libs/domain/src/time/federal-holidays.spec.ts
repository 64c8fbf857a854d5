import { federalHolidayOn, federalHolidays, isBusinessDay, isFederalHoliday } from './federal-holidays';

describe('federalHolidays', () => {
  it('lists 2014 with its observed dates', () => {
    expect(federalHolidays(2014).map((h) => [h.date, h.name])).toEqual([
      ['2014-01-01', "New Year's Day"],
      ['2014-01-20', 'Birthday of Martin Luther King, Jr.'],
      ['2014-02-17', "Washington's Birthday"],
      ['2014-05-26', 'Memorial Day'],
      ['2014-07-04', 'Independence Day'],
      ['2014-09-01', 'Labor Day'],
      ['2014-10-13', 'Columbus Day'],
      ['2014-11-11', 'Veterans Day'],
      ['2014-11-27', 'Thanksgiving Day'],
      ['2014-12-25', 'Christmas Day'],
    ]);
  });

  it('moves Saturday holidays to Friday and Sunday holidays to Monday', () => {
    const dates = (year: number) => Object.fromEntries(federalHolidays(year).map((h) => [h.name, { date: h.date, observed: h.observed }]));
    expect(dates(2020)['Independence Day']).toEqual({ date: '2020-07-03', observed: true });
    expect(dates(2021)['Independence Day']).toEqual({ date: '2021-07-05', observed: true });
    expect(dates(2021)['Juneteenth National Independence Day']).toEqual({ date: '2021-06-18', observed: true });
    expect(dates(2022)['Christmas Day']).toEqual({ date: '2022-12-26', observed: true });
    expect(dates(2010)['Christmas Day']).toEqual({ date: '2010-12-24', observed: true });
    expect(dates(2017)['Veterans Day']).toEqual({ date: '2017-11-10', observed: true });
    expect(dates(2023)['Juneteenth National Independence Day']).toEqual({ date: '2023-06-19', observed: false });
    expect(dates(2022)["New Year's Day"]).toEqual({ date: '2021-12-31', observed: true });
  });

  it('knows when holidays began or moved', () => {
    const names = (year: number) => federalHolidays(year).map((h) => h.name);
    expect(names(1985)).not.toContain('Birthday of Martin Luther King, Jr.');
    expect(names(1986)).toContain('Birthday of Martin Luther King, Jr.');
    expect(names(2020)).not.toContain('Juneteenth National Independence Day');
    expect(federalHolidays(2021)).toHaveLength(11);
    expect(federalHolidays(1975).find((h) => h.name === 'Veterans Day')?.date).toBe('1975-10-27');
    expect(federalHolidays(1978).find((h) => h.name === 'Veterans Day')?.date).toBe('1978-11-10');
  });

  it('computes floating holidays by weekday', () => {
    // Memorial Day in a May with five Mondays; Thanksgiving when November starts on a Thursday/Friday
    const on = (year: number, name: string) => federalHolidays(year).find((h) => h.name === name)?.date;
    expect(on(2021, 'Memorial Day')).toBe('2021-05-31');
    expect(on(2018, 'Thanksgiving Day')).toBe('2018-11-22');
    expect(on(2019, 'Thanksgiving Day')).toBe('2019-11-28');
    expect(on(2015, 'Labor Day')).toBe('2015-09-07');
    expect(on(2017, 'Birthday of Martin Luther King, Jr.')).toBe('2017-01-16');
    expect(on(2017, 'Columbus Day')).toBe('2017-10-09');
  });
});

describe('isFederalHoliday and isBusinessDay', () => {
  it("counts next year's New Year's Day observed on December 31", () => {
    expect(isFederalHoliday('2021-12-31')).toBe(true);
    expect(federalHolidayOn('2021-12-31')).toBe("New Year's Day");
    expect(isBusinessDay('2021-12-31')).toBe(false);
    expect(isFederalHoliday('2016-12-30')).toBe(false);
    expect(isBusinessDay('2016-12-30')).toBe(true);
  });

  it.each([
    ['2014-01-20', false, 'MLK Day'],
    ['2014-01-21', true, 'a Tuesday'],
    ['2014-01-18', false, 'a Saturday'],
    ['2014-01-19', false, 'a Sunday'],
    ['2020-07-03', false, 'Independence Day observed'],
    ['2020-07-04', false, 'a Saturday holiday'],
    ['1985-01-21', true, 'MLK Day before it existed'],
    ['2020-06-19', true, 'Juneteenth before it existed'],
    ['2021-06-18', false, 'Juneteenth observed'],
    ['2017-11-10', false, 'Veterans Day observed'],
  ])('%s is %s a business day (%s)', (date, business) => {
    expect(isBusinessDay(date)).toBe(business);
  });

  it('rejects malformed dates', () => {
    expect(() => isBusinessDay('2014-1-20')).toThrow();
  });
});
