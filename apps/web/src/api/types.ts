/** Shapes of the public API (docs: /docs), as far as the web app reads them. */

export type Role = 'officer' | 'jail_staff' | 'supervisor' | 'admin' | 'analyst';

export interface Me {
  id: string;
  kind: 'user' | 'api_key';
  username: string;
  role: Role;
  agencyId: string | null;
  areaId: string | null;
  session?: { id: string; expiresAt: string; authenticatedAt: string; secondFactor: boolean };
  secondFactorEnrolmentRequired?: boolean;
}

export interface Area { id: string; code: string; name: string }
export interface Agency { id: string; ori: string; name: string; jurisdictionId: string }
export interface Jurisdiction { id: string; name: string; kind: string; state: string; code: string; fips?: string | null }
export interface Facility { id: string; agencyId: string; name: string; timeZone: string; areaId: string }
export interface Policy {
  id: string; kind: string; citation: string; summary: string; effectiveFrom: string; effectiveTo?: string | null;
  limitsHold: boolean; limitsNotification: boolean; limitsAccess: boolean;
}

export interface Page<T> { items: T[]; nextCursor: string | null }

export type DetainerStatus =
  | 'issued' | 'acknowledged' | 'release_scheduled' | 'held' | 'refused' | 'disputed' | 'honored' | 'released' | 'misdirected' | 'cancelled';
export type LodgingStatus = DetainerStatus | 'transferred';

export type ActionName =
  | 'acknowledge' | 'report_not_in_custody' | 'schedule_release' | 'plan_pickup' | 'start_hold' | 'transfer_to_ice' | 'release' | 'refuse'
  | 'record_decline' | 'claim_citizenship' | 'dispute_identity' | 'decide_identity_claim' | 'cancel' | 'record_outcome';

export interface PlaceRef { id: string; name: string; [key: string]: unknown }

export interface Subject {
  id: string; aNumber?: string; fbiNumber?: string; familyName: string; givenName: string; dateOfBirth: string; sex?: 'F' | 'M' | 'X'; citizenship: string;
}

export interface SubjectMatch extends Subject { visibleDetainers: number; lastIssuedAt: string }

export interface Charge { description: string; ncicCode?: string; level: 'felony' | 'misdemeanor'; status: 'pending' | 'convicted' }

export interface Lodging {
  seq: number;
  facility: { id: string; name: string; timeZone: string };
  agency: { id: string; name: string; ori?: string };
  jurisdiction: { id: string; name: string; code?: string; state?: string };
  from: string; to?: string; status: LodgingStatus;
  response?: string; responseReason?: string; acknowledgedAt?: string; bookingNumber?: string; releaseAt?: string; noticeLeadHours?: number;
  pickupPlannedAt?: string; holdSince?: string; holdExpiresAt?: string; releasedAt?: string; destination?: string; toFacilityId?: string;
  honoredAt?: string; refusedAt?: string; identityClaim?: 'citizenship' | 'identity'; declined: boolean; declineKind?: string;
  declineRecordedAt?: string; shortNotice: boolean; missedPickup: boolean; timeZone: string;
}

export interface DetainerEvent {
  seq: number; version: number; lodging: number; kind: string; occurredAt: string; recordedAt: string; localTime?: string; timeZone?: string;
  actor: { kind: string; id: string | null; role: string; agencyId: string | null; areaId: string | null };
  source: 'lea_reported' | 'ice_observed' | 'system';
  data: Record<string, unknown>;
}

export interface Detainer {
  id: string; type: string; status: DetainerStatus; version: number; lodgings: Lodging[];
  declined: boolean; declineKind?: string; declineRecordedAt?: string; shortNotice: boolean; missedPickup: boolean;
  subject?: Subject;
  facility: { id: string; name: string; timeZone: string };
  agency: { id: string; name: string; ori?: string };
  jurisdiction: { id: string; name: string; code?: string; state?: string };
  area: { id: string; code: string; name: string };
  issuedAt: string; recordedAt: string; channel: string; warrant?: { form: string; number: string }; probableCause: string[]; charges: Charge[];
  acknowledgedAt?: string; response?: string; bookingNumber?: string; releaseAt?: string; noticeLeadHours?: number; pickupPlannedAt?: string;
  holdSince?: string; holdExpiresAt?: string; releasedAt?: string; destination?: string;
  cancelReason?: string; cancelNote?: string; cancelledAt?: string;
  outcome?: { kind: string; at: string; relatedDetainerId?: string };
  timeZone: string;
  events?: DetainerEvent[];
  allowedActions?: ActionName[];
}

export interface FieldProblem { field: string; message: string }
export interface ErrorBody { statusCode: number; error: string; message: string; details?: FieldProblem[] | Record<string, unknown> }
