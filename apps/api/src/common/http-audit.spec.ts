import { identitiesIn } from './http-audit';

describe('identitiesIn (what an audited response revealed)', () => {
  it('finds subjects in a detainer, a list, or a raw record, and collects their ids', () => {
    const subject = { id: 's1', aNumber: 'A012345678', familyName: 'Doe', givenName: 'J', dateOfBirth: '1980-01-01' };
    expect(identitiesIn({ id: 'd1', subject })).toEqual({ found: true, subjectIds: ['s1'] });
    expect(identitiesIn({ items: [{ subject }, { subject: { ...subject, id: 's2' } }], nextCursor: null })).toEqual({ found: true, subjectIds: ['s1', 's2'] });
    expect(identitiesIn({ id: 'd1', subject: { id: 's3', familyName: 'Roe', aNumber: null } })).toEqual({ found: true, subjectIds: ['s3'] });
  });

  it('a booking number alone is identifying, though it names no subject record', () => {
    expect(identitiesIn({ lodgings: [{ bookingNumber: 'B-1' }] })).toEqual({ found: true, subjectIds: [] });
  });

  it('de-identified and reference data reveal nothing', () => {
    expect(identitiesIn({ items: [{ id: 'a', code: 'SEA', name: 'Seattle' }] })).toEqual({ found: false, subjectIds: [] });
    expect(identitiesIn({ id: 'd', subject: undefined, bookingNumber: null })).toEqual({ found: false, subjectIds: [] });
    expect(identitiesIn(null)).toEqual({ found: false, subjectIds: [] });
    expect(identitiesIn('text')).toEqual({ found: false, subjectIds: [] });
  });

  it('is bounded on hostile shapes (deep nesting)', () => {
    let deep: Record<string, unknown> = { familyName: 'X', id: 'deep' };
    for (let i = 0; i < 1000; i += 1) deep = { next: deep };
    expect(identitiesIn(deep)).toEqual({ found: false, subjectIds: [] });
  });
});
