import { isUsState, jurisdictionCode, US_STATES, validateCountyFips, validateOri } from './codes';

describe('US_STATES', () => {
  it('has the 50 states, DC and the five inhabited territories with their FIPS codes', () => {
    expect(Object.keys(US_STATES)).toHaveLength(56);
    expect(US_STATES.NV).toEqual({ name: 'Nevada', fips: '32' });
    expect(US_STATES.PA.fips).toBe('42');
    expect(US_STATES.IA.fips).toBe('19');
    expect(US_STATES.DC.fips).toBe('11');
    expect(US_STATES.PR.fips).toBe('72');
    for (const t of ['GU', 'VI', 'AS', 'MP', 'DC', 'WY']) expect(isUsState(t)).toBe(true);
    for (const t of ['XX', 'nv', 'UK', 'toString', '']) expect(isUsState(t)).toBe(false);
    const fips = Object.values(US_STATES).map((s) => s.fips);
    expect(new Set(fips).size).toBe(fips.length);
    for (const f of fips) expect(f).toMatch(/^\d{2}$/);
  });
});

describe('validateCountyFips', () => {
  it('accepts a county of the state', () => {
    expect(validateCountyFips('PA', '42055')).toBeNull(); // Franklin County, PA
    expect(validateCountyFips('IA', '19069')).toBeNull(); // Franklin County, IA
    expect(validateCountyFips('NV', '32003')).toBeNull(); // Clark County, NV
  });

  it('stops a Franklin County in PA being filed under IA', () => {
    expect(validateCountyFips('IA', '42055')).toMatch(/not in Iowa \(IA\).*start with 19/);
  });

  it.each([
    ['NV', '3200', '5 digits'],
    ['NV', '320031', '5 digits'],
    ['NV', '32OO3', '5 digits'],
    ['NV', '32000', 'state code'],
    ['XX', '32003', 'USPS'],
    ['nv', '32003', 'USPS'],
  ])('rejects %s %s', (state, fips, text) => {
    expect(validateCountyFips(state, fips)).toContain(text);
  });
});

describe('validateOri', () => {
  it('accepts 9 uppercase alphanumerics starting with a state code', () => {
    expect(validateOri('NV0020100')).toBeNull();
    expect(validateOri('NV0020100', 'NV')).toBeNull();
    expect(validateOri('TX227SO00', 'TX')).toBeNull();
  });
  it.each([
    ['NV002010', undefined, '9 uppercase'],
    ['nv0020100', undefined, '9 uppercase'],
    ['NV-020100', undefined, '9 uppercase'],
    ['ZZ0020100', undefined, 'USPS'],
    ['NV0020100', 'AZ', 'belongs to NV, not AZ'],
  ])('rejects %s (state %s)', (ori, state, text) => {
    expect(validateOri(ori, state)).toContain(text);
  });
});

describe('jurisdictionCode', () => {
  it.each([
    [{ kind: 'county', state: 'NV', fips: '32003' }, 'US-NV-32003'],
    [{ kind: 'city', state: 'NV', placeCode: '3240000' }, 'US-NV-P3240000'],
    [{ kind: 'city', state: 'NV', ori: 'NV0020100' }, 'US-NV-ORI-NV0020100'],
    [{ kind: 'city', state: 'NV', placeCode: '3240000', ori: 'NV0020100' }, 'US-NV-P3240000'],
    [{ kind: 'state', state: 'NV' }, 'US-NV'],
    [{ kind: 'tribal', state: 'AZ', placeCode: '2430' }, 'US-AZ-T2430'],
    [{ kind: 'tribal', state: 'AZ', ori: 'AZ0030100' }, 'US-AZ-TAZ0030100'],
  ] as const)('%o -> %s', (input, code) => {
    expect(jurisdictionCode(input)).toEqual({ code });
  });

  it.each([
    [{ kind: 'county', state: 'IA', fips: '42055' }, 'fips'],
    [{ kind: 'county', state: 'NV' }, 'fips'],
    [{ kind: 'county', state: 'QQ', fips: '32003' }, 'state'],
    [{ kind: 'city', state: 'NV' }, 'placeCode'],
    [{ kind: 'city', state: 'NV', placeCode: '0640000' }, 'placeCode'],
    [{ kind: 'city', state: 'NV', placeCode: '32400' }, 'placeCode'],
    [{ kind: 'city', state: 'NV', ori: 'CA0190000' }, 'ori'],
    [{ kind: 'tribal', state: 'AZ' }, 'placeCode'],
    [{ kind: 'tribal', state: 'AZ', placeCode: 'Navajo' }, 'placeCode'],
    [{ kind: 'tribal', state: 'AZ', ori: 'NM0030100' }, 'ori'],
  ] as const)('%o is refused on %s', (input, field) => {
    const result = jurisdictionCode(input);
    expect('error' in result && result.error.field).toBe(field);
  });

  it('gives same-named counties in different states different codes', () => {
    const franklins = [
      { state: 'PA', fips: '42055' },
      { state: 'IA', fips: '19069' },
      { state: 'NY', fips: '36033' },
      { state: 'OH', fips: '39049' },
    ].map(({ state, fips }) => jurisdictionCode({ kind: 'county', state, fips }));
    const codes = franklins.map((r) => ('code' in r ? r.code : r.error.message));
    expect(codes).toEqual(['US-PA-42055', 'US-IA-19069', 'US-NY-36033', 'US-OH-39049']);
    expect(new Set(codes).size).toBe(4);
  });
});
