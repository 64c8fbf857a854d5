import type { AgencyRecord } from '@app/persistence';
import { programSpan } from './reference-data.service';

const agency = (p: Partial<AgencyRecord>): AgencyRecord => ({
  id: 'a', ori: 'WA0170000', name: 'King', jurisdictionId: 'j', program287g: 'none', program287gSince: null, program287gUntil: null, ...p,
});

describe('programSpan (the published days a 287(g) change touches)', () => {
  it('is null when the programme and its dates stay (a rename, an ORI correction)', () => {
    const a = agency({ program287g: 'task_force', program287gSince: '2020-01-01' });
    expect(programSpan(a, { ...a, name: 'Other', ori: 'WA0170001' })).toBeNull();
    expect(programSpan(agency({}), agency({ name: 'x' }))).toBeNull();
  });
  it('covers both agreements, from the earlier first day to the later last day', () => {
    expect(programSpan(agency({ program287g: 'task_force', program287gSince: '2021-03-01', program287gUntil: '2021-12-31' }),
      agency({ program287g: 'task_force', program287gSince: '2021-01-01', program287gUntil: '2021-06-30' }))).toEqual({ from: '2021-01-01', to: '2021-12-31' });
  });
  it('an agreement without an end runs on; one without a first day reaches back to every week', () => {
    expect(programSpan(agency({}), agency({ program287g: 'jail_enforcement', program287gSince: '2024-05-01' }))).toEqual({ from: '2024-05-01', to: null });
    expect(programSpan(agency({ program287g: 'warrant_service' }), agency({}))).toEqual({ from: '0001-01-01', to: null });
  });
  it('a change of model alone touches the whole agreement', () => {
    expect(programSpan(agency({ program287g: 'task_force', program287gSince: '2022-01-01', program287gUntil: '2022-12-31' }),
      agency({ program287g: 'jail_enforcement', program287gSince: '2022-01-01', program287gUntil: '2022-12-31' }))).toEqual({ from: '2022-01-01', to: '2022-12-31' });
  });
});
