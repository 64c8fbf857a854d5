/**
 * Canonical jurisdiction codes. A name identifies nothing (there are Franklin Counties in 24 states):
 * codes are built from the USPS state code and Census FIPS / place codes or an NCIC ORI, and every
 * part is checked against the state so a county cannot be filed under the wrong one.
 */

export interface UsState {
  name: string;
  /** 2-digit state FIPS code. */
  fips: string;
}

export const US_STATES = {
  AL: { name: 'Alabama', fips: '01' },
  AK: { name: 'Alaska', fips: '02' },
  AZ: { name: 'Arizona', fips: '04' },
  AR: { name: 'Arkansas', fips: '05' },
  CA: { name: 'California', fips: '06' },
  CO: { name: 'Colorado', fips: '08' },
  CT: { name: 'Connecticut', fips: '09' },
  DE: { name: 'Delaware', fips: '10' },
  DC: { name: 'District of Columbia', fips: '11' },
  FL: { name: 'Florida', fips: '12' },
  GA: { name: 'Georgia', fips: '13' },
  HI: { name: 'Hawaii', fips: '15' },
  ID: { name: 'Idaho', fips: '16' },
  IL: { name: 'Illinois', fips: '17' },
  IN: { name: 'Indiana', fips: '18' },
  IA: { name: 'Iowa', fips: '19' },
  KS: { name: 'Kansas', fips: '20' },
  KY: { name: 'Kentucky', fips: '21' },
  LA: { name: 'Louisiana', fips: '22' },
  ME: { name: 'Maine', fips: '23' },
  MD: { name: 'Maryland', fips: '24' },
  MA: { name: 'Massachusetts', fips: '25' },
  MI: { name: 'Michigan', fips: '26' },
  MN: { name: 'Minnesota', fips: '27' },
  MS: { name: 'Mississippi', fips: '28' },
  MO: { name: 'Missouri', fips: '29' },
  MT: { name: 'Montana', fips: '30' },
  NE: { name: 'Nebraska', fips: '31' },
  NV: { name: 'Nevada', fips: '32' },
  NH: { name: 'New Hampshire', fips: '33' },
  NJ: { name: 'New Jersey', fips: '34' },
  NM: { name: 'New Mexico', fips: '35' },
  NY: { name: 'New York', fips: '36' },
  NC: { name: 'North Carolina', fips: '37' },
  ND: { name: 'North Dakota', fips: '38' },
  OH: { name: 'Ohio', fips: '39' },
  OK: { name: 'Oklahoma', fips: '40' },
  OR: { name: 'Oregon', fips: '41' },
  PA: { name: 'Pennsylvania', fips: '42' },
  RI: { name: 'Rhode Island', fips: '44' },
  SC: { name: 'South Carolina', fips: '45' },
  SD: { name: 'South Dakota', fips: '46' },
  TN: { name: 'Tennessee', fips: '47' },
  TX: { name: 'Texas', fips: '48' },
  UT: { name: 'Utah', fips: '49' },
  VT: { name: 'Vermont', fips: '50' },
  VA: { name: 'Virginia', fips: '51' },
  WA: { name: 'Washington', fips: '53' },
  WV: { name: 'West Virginia', fips: '54' },
  WI: { name: 'Wisconsin', fips: '55' },
  WY: { name: 'Wyoming', fips: '56' },
  AS: { name: 'American Samoa', fips: '60' },
  GU: { name: 'Guam', fips: '66' },
  MP: { name: 'Northern Mariana Islands', fips: '69' },
  PR: { name: 'Puerto Rico', fips: '72' },
  VI: { name: 'U.S. Virgin Islands', fips: '78' },
} as const satisfies Record<string, UsState>;

/** USPS code of a state, DC or an inhabited territory. */
export type UsStateCode = keyof typeof US_STATES;

export function isUsState(code: string): code is UsStateCode {
  return typeof code === 'string' && Object.hasOwn(US_STATES, code);
}

function stateProblem(state: string): string {
  return `'${state}' is not a USPS state or territory code (e.g. NV, PR)`;
}

/** A county FIPS code is 5 digits, the first two the state's FIPS code. Returns a message, or null when valid. */
export function validateCountyFips(state: string, fips: string): string | null {
  if (!isUsState(state)) return stateProblem(state);
  if (typeof fips !== 'string' || !/^\d{5}$/.test(fips)) return `county FIPS code must be 5 digits; got '${fips}'`;
  const { fips: stateFips, name } = US_STATES[state];
  if (!fips.startsWith(stateFips)) {
    return `county FIPS code ${fips} is not in ${name} (${state}): counties there start with ${stateFips}`;
  }
  if (fips.endsWith('000')) return `county FIPS code ${fips} is a state code, not a county`;
  return null;
}

/** An ORI is 9 uppercase letters or digits, the first two a USPS code (equal to `state` if given). Returns a message, or null. */
export function validateOri(ori: string, state?: string): string | null {
  if (typeof ori !== 'string' || !/^[A-Z0-9]{9}$/.test(ori)) return `ORI must be 9 uppercase letters or digits; got '${ori}'`;
  const prefix = ori.slice(0, 2);
  if (!isUsState(prefix)) return `ORI ${ori} does not start with a USPS state code`;
  if (state !== undefined && prefix !== state) return `ORI ${ori} belongs to ${prefix}, not ${state}`;
  return null;
}

export type JurisdictionKind = 'county' | 'city' | 'state' | 'tribal';

export interface JurisdictionCodeInput {
  kind: JurisdictionKind;
  state: string;
  /** County: 5-digit county FIPS code. */
  fips?: string;
  /** City: 7-digit Census place code (state FIPS + 5). Tribal: 4-digit Census AIANNH code. */
  placeCode?: string;
  ori?: string;
}

export type JurisdictionCodeResult = { code: string } | { error: { field: string; message: string } };

/**
 * The canonical code of a jurisdiction:
 * county `US-NV-32003`; city `US-NV-P3240000` (Census place) or `US-NV-ORI-NV0020100` (no place code);
 * state `US-NV`; tribal `US-AZ-T<AIANNH code or ORI>`.
 */
export function jurisdictionCode(input: JurisdictionCodeInput): JurisdictionCodeResult {
  const fail = (field: string, message: string): JurisdictionCodeResult => ({ error: { field, message } });
  const { kind, state } = input;
  if (!isUsState(state)) return fail('state', stateProblem(state));
  const prefix = `US-${state}`;
  switch (kind) {
    case 'state':
      return { code: prefix };
    case 'county': {
      if (input.fips === undefined) return fail('fips', 'a county needs its 5-digit county FIPS code');
      const bad = validateCountyFips(state, input.fips);
      return bad ? fail('fips', bad) : { code: `${prefix}-${input.fips}` };
    }
    case 'city': {
      if (input.placeCode !== undefined) {
        const { fips, name } = US_STATES[state];
        if (!/^\d{7}$/.test(input.placeCode)) return fail('placeCode', `a Census place code is 7 digits; got '${input.placeCode}'`);
        if (!input.placeCode.startsWith(fips)) {
          return fail('placeCode', `place code ${input.placeCode} is not in ${name} (${state}): places there start with ${fips}`);
        }
        return { code: `${prefix}-P${input.placeCode}` };
      }
      if (input.ori !== undefined) {
        const bad = validateOri(input.ori, state);
        return bad ? fail('ori', bad) : { code: `${prefix}-ORI-${input.ori}` };
      }
      return fail('placeCode', 'a city needs a 7-digit Census place code or, lacking one, an ORI');
    }
    case 'tribal': {
      if (input.placeCode !== undefined) {
        if (!/^\d{4}$/.test(input.placeCode)) return fail('placeCode', `a tribal area's Census AIANNH code is 4 digits; got '${input.placeCode}'`);
        return { code: `${prefix}-T${input.placeCode}` };
      }
      if (input.ori !== undefined) {
        const bad = validateOri(input.ori, state);
        return bad ? fail('ori', bad) : { code: `${prefix}-T${input.ori}` };
      }
      return fail('placeCode', 'a tribal jurisdiction needs its 4-digit Census AIANNH code or an ORI');
    }
    default: {
      const never: never = kind;
      return fail('kind', `unknown jurisdiction kind '${String(never)}'`);
    }
  }
}
