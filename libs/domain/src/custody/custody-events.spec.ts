import fc from 'fast-check';
import { DomainError } from '../errors';
import { CUSTODY_EVENT_KINDS, custodyActionOf, CustodyEventInput } from './custody-events';

const base = { eventId: '8812', at: '2017-02-01T09:00:00-08:00', bookingNumber: 'KC-1' };
const FACILITY = '0b9a4a6e-2f57-4c55-8a3e-5f0e1c2d3b4a';

function fieldOf(event: CustodyEventInput): string | undefined {
  try {
    custodyActionOf(event);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return ((error as DomainError).details as { field: string }[])[0].field;
  }
}

describe('custodyActionOf', () => {
  it('maps each kind to the action a person at the jail would take', () => {
    expect(custodyActionOf({ ...base, kind: 'booked' })).toEqual({ type: 'none' });
    expect(custodyActionOf({ ...base, kind: 'release_scheduled', releaseAt: '2017-02-04T17:00:00Z' })).toEqual({ type: 'schedule_release', releaseAt: '2017-02-04T17:00:00Z' });
    expect(custodyActionOf({ ...base, kind: 'released' })).toEqual({ type: 'release', at: base.at, destination: 'community' });
    expect(custodyActionOf({ ...base, kind: 'released', destination: 'community' })).toEqual({ type: 'release', at: base.at, destination: 'community' });
    expect(custodyActionOf({ ...base, kind: 'released', destination: 'other_agency', toFacilityId: FACILITY })).toEqual({ type: 'release', at: base.at, destination: 'other_agency', toFacilityId: FACILITY });
    expect(custodyActionOf({ ...base, kind: 'released', toFacilityId: FACILITY })).toEqual({ type: 'release', at: base.at, destination: 'other_agency', toFacilityId: FACILITY });
    expect(custodyActionOf({ ...base, kind: 'transferred', toFacilityId: FACILITY })).toEqual({ type: 'release', at: base.at, destination: 'other_agency', toFacilityId: FACILITY });
    expect(custodyActionOf({ ...base, kind: 'released_to_ice' })).toEqual({ type: 'transfer_to_ice', at: base.at });
  });

  it('names the field a kind needs and the event lacks, or that contradicts it', () => {
    expect(fieldOf({ ...base, kind: 'release_scheduled' })).toBe('releaseAt');
    expect(fieldOf({ ...base, kind: 'transferred' })).toBe('toFacilityId');
    expect(fieldOf({ ...base, kind: 'transferred', destination: 'community' })).toBe('destination');
    expect(fieldOf({ ...base, kind: 'released', destination: 'other_agency' })).toBe('toFacilityId');
    expect(fieldOf({ ...base, kind: 'released', destination: 'community', toFacilityId: FACILITY })).toBe('toFacilityId');
  });

  it('for any event: either an action carrying the event\'s own instants, or a 400 naming a field', () => {
    const event = fc.record(
      {
        kind: fc.constantFrom(...CUSTODY_EVENT_KINDS),
        destination: fc.constantFrom('community' as const, 'other_agency' as const),
        toFacilityId: fc.constant(FACILITY),
        releaseAt: fc.constant('2017-02-04T17:00:00Z'),
      },
      { requiredKeys: ['kind'] },
    );
    fc.assert(
      fc.property(event, (extra) => {
        const input = { ...base, ...extra };
        let action;
        try {
          action = custodyActionOf(input);
        } catch (error) {
          expect((error as DomainError).code).toBe('invalid_input');
          return;
        }
        if (action.type === 'schedule_release') expect(action.releaseAt).toBe(input.releaseAt);
        else if (action.type !== 'none') expect(action.at).toBe(base.at);
        if (action.type === 'release' && action.destination === 'other_agency') expect(action.toFacilityId).toBe(FACILITY);
      }),
    );
  });
});
