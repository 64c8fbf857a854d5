import { DomainError } from '../errors';

/** What a jail management system reports about a person in its custody. */
export const CUSTODY_EVENT_KINDS = ['booked', 'release_scheduled', 'released', 'transferred', 'released_to_ice'] as const;
export type CustodyEventKind = (typeof CUSTODY_EVENT_KINDS)[number];

/** What became of a custody event: `duplicate` is answered for a resent one and never stored again. */
export const CUSTODY_OUTCOMES = ['applied', 'duplicate', 'no_open_detainer', 'rejected'] as const;
export type CustodyOutcome = (typeof CUSTODY_OUTCOMES)[number];
export type StoredCustodyOutcome = Exclude<CustodyOutcome, 'duplicate'>;

export const MAX_CUSTODY_EVENTS_PER_BATCH = 1000;

/** One event as sent (instants as text: they are read in the facility's time zone when they carry no offset). */
export interface CustodyEventInput {
  eventId: string;
  kind: CustodyEventKind;
  at: string;
  bookingNumber: string;
  facilityId?: string;
  destination?: 'community' | 'other_agency';
  toFacilityId?: string;
  releaseAt?: string;
  subject?: { aNumber?: string; fbiNumber?: string; stateId?: string };
}

/**
 * The action a person at the jail would take for the event, as the detainer endpoints take it.
 * `booked` changes no request: the booking number is already on the lodging it matched; what a
 * booking may tell (a person wanted elsewhere) is the alert, not an action.
 */
export type CustodyAction =
  | { type: 'schedule_release'; releaseAt: string }
  | { type: 'release'; at: string; destination: 'community' }
  | { type: 'release'; at: string; destination: 'other_agency'; toFacilityId: string }
  | { type: 'transfer_to_ice'; at: string }
  | { type: 'none' };

/** Maps an event to its action, or a DomainError naming the field the kind needs (the same 400 a person gets). */
export function custodyActionOf(event: CustodyEventInput): CustodyAction {
  switch (event.kind) {
    case 'booked':
      return { type: 'none' };
    case 'release_scheduled':
      if (event.releaseAt === undefined) throw DomainError.invalidInput('releaseAt', 'A release_scheduled event needs releaseAt, the release date and time.');
      return { type: 'schedule_release', releaseAt: event.releaseAt };
    case 'released':
      if (event.destination === 'other_agency' || event.toFacilityId !== undefined) return toAgency(event);
      return { type: 'release', at: event.at, destination: 'community' };
    case 'transferred':
      if (event.destination === 'community') {
        throw DomainError.invalidInput('destination', 'A transferred event goes to another agency: destination is other_agency or absent.');
      }
      return toAgency(event);
    case 'released_to_ice':
      return { type: 'transfer_to_ice', at: event.at };
    default: {
      const never: never = event.kind;
      return never;
    }
  }
}

function toAgency(event: CustodyEventInput): CustodyAction {
  if (event.destination === 'community') {
    throw DomainError.invalidInput('toFacilityId', 'A release to the community has no receiving facility: drop toFacilityId or send destination other_agency.');
  }
  if (event.toFacilityId === undefined) throw DomainError.invalidInput('toFacilityId', 'A release to another agency needs toFacilityId, the receiving facility.');
  return { type: 'release', at: event.at, destination: 'other_agency', toFacilityId: event.toFacilityId };
}
