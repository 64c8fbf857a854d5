import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DomainError, isUsState, jurisdictionCode, normalizeHeader, validateCountyFips, validateOri } from '@app/domain';

/** Where the crosswalk puts a DETLOC code: a facility on file, or canonical codes to create it under. */
export type CrosswalkEntry =
  | { kind: 'facility'; facilityId: string }
  | { kind: 'codes'; state: string; countyFips: string; jurisdictionCode: string; ori: string; facilityName: string };

export interface Crosswalk {
  sha256: string;
  entries: Map<string, CrosswalkEntry>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The crosswalk CSV (`detention_facility_code,facility_id` or
 * `detention_facility_code,state,county_fips,agency_ori,facility_name`; rows of both kinds may mix).
 * Small (one row per facility): read whole. A bad row stops the import, naming its line: a crosswalk is
 * reference data, and guessing is what the 2017 reports did.
 */
export async function readCrosswalk(path: string): Promise<Crosswalk> {
  const bytes = await readFile(path);
  const rows = parse<Record<string, string>>(bytes, { bom: true, columns: (h: string[]) => h.map(normalizeHeader), skip_empty_lines: true, trim: true });
  const entries = new Map<string, CrosswalkEntry>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const bad = (message: string) => DomainError.invalidInput('crosswalk', `${path} line ${line}: ${message}`);
    const code = (r.detention_facility_code ?? '').toUpperCase();
    if (!code) throw bad('detention_facility_code is empty');
    if (entries.has(code)) throw bad(`${code} is mapped twice`);
    if (r.facility_id) {
      if (!UUID.test(r.facility_id)) throw bad(`facility_id '${r.facility_id}' is not a facility id (UUID)`);
      entries.set(code, { kind: 'facility', facilityId: r.facility_id.toLowerCase() });
      return;
    }
    const state = (r.state ?? '').toUpperCase();
    const fips = r.county_fips ?? '';
    const ori = (r.agency_ori ?? '').toUpperCase();
    const facilityName = r.facility_name ?? '';
    if (!isUsState(state)) throw bad(`state '${state}' is not a USPS state code`);
    const fipsProblem = validateCountyFips(state, fips);
    if (fipsProblem) throw bad(fipsProblem);
    const oriProblem = validateOri(ori, state);
    if (oriProblem) throw bad(oriProblem);
    if (!facilityName) throw bad('facility_name is empty');
    const jc = jurisdictionCode({ kind: 'county', state, fips });
    if ('error' in jc) throw bad(jc.error.message);
    entries.set(code, { kind: 'codes', state, countyFips: fips, jurisdictionCode: jc.code, ori, facilityName });
  });
  return { sha256: createHash('sha256').update(bytes).digest('hex'), entries };
}
