import { ISO_COUNTRY_CODES, isCountryCode } from './countries';

describe('ISO 3166-1 alpha-2', () => {
  it('has the 249 officially assigned codes', () => {
    expect(ISO_COUNTRY_CODES.size).toBe(249);
    for (const code of ISO_COUNTRY_CODES) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it('every code is a region the platform (ICU/CLDR) can name', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of ISO_COUNTRY_CODES) {
      const name = names.of(code);
      expect(name).toBeDefined();
      expect(name).not.toBe(code);
      expect(name).not.toBe('Unknown Region');
    }
  });

  it.each(['US', 'MX', 'GT', 'SV', 'HN', 'IN', 'CN', 'SS', 'CW', 'BQ', 'AX'])('accepts %s', (code) => {
    expect(isCountryCode(code)).toBe(true);
  });

  it.each(['UK', 'EU', 'XK', 'AN', 'CS', 'YU', 'ZZ', 'us', 'USA', ''])('rejects %p (not officially assigned or not alpha-2 uppercase)', (code) => {
    expect(isCountryCode(code)).toBe(false);
  });
});
