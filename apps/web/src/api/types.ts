/**
 * Shapes of the public API, for the web app: the types generated from the OpenAPI document the API
 * serves (`openapi.gen.ts`, made by scripts/openapi-types.mjs before every type-check), under the
 * names the pages use. A response change that breaks a page fails the type-check.
 */
import type { components } from './openapi.gen';

type Schemas = components['schemas'];

export type Me = Schemas['MeResponse'];
export type Role = Me['role'];
export type IssuedToken = Schemas['IssuedTokenResponse'];
export type TotpEnrolment = Schemas['TotpEnrolmentResponse'];

export type Area = Schemas['AreaResponse'];
export type Agency = Schemas['AgencyResponse'];
export type Jurisdiction = Schemas['JurisdictionResponse'];
export type Facility = Schemas['FacilityResponse'];
export type Policy = Schemas['PolicyResponse'];

/** Any cursor-paged list: `{ items, nextCursor }`. */
export interface Page<T> { items: T[]; nextCursor: string | null }

export type LodgingStatus = Schemas['LodgingResponse']['status'];
export type DetainerStatus = Exclude<LodgingStatus, 'transferred'>;
export type ActionName = Schemas['DetainerWithActionsResponse']['allowedActions'][number];

export type Subject = Schemas['SubjectResponse'];
export type SubjectMatch = Schemas['SubjectMatchResponse'];
export type Charge = Schemas['ChargeResponse'];
export type Lodging = Schemas['LodgingResponse'];
export type DetainerEvent = Schemas['DetainerEventResponse'];
/** A detainer; `allowedActions`, `nextSteps` and `mayAmend` come with GET /detainers/:id only. */
export type Detainer = Schemas['DetainerResponse'] & Partial<Pick<Schemas['DetainerWithActionsResponse'], 'allowedActions' | 'nextSteps' | 'mayAmend'>>;
/** A person and the detainers on them the caller may see (GET /subjects/:id). */
export type SubjectWithDetainers = Schemas['SubjectWithDetainersResponse'];

export type QueueSummary = Schemas['QueueSummaryResponse'];
export type QueueItem = Schemas['QueueItemResponse'];
export type QueueItemAction = Schemas['QueueItemAction'];
export type ClaimResult = Schemas['ClaimResultResponse'];

export type Notification = Schemas['NotificationResponse'];
export type NotificationPage = Schemas['NotificationPageResponse'];

export type RecordDispute = Schemas['DisputeResponse'];

export type ReportWeekList = Schemas['ReportWeekList'];
export type ReportWeek = Schemas['ReportWeekResponse'];
export type WeeklyReport = Schemas['WeeklyReportWithLinks'];
export type JurisdictionProfile = Schemas['JurisdictionProfileResponse'];
export type ChangeList = Schemas['ChangeListResponse'];
export type DrillDownItem = Schemas['DrillDownItem'];

export type FieldProblem = Schemas['FieldProblem'];
export type ErrorBody = Schemas['ErrorBody'];

export type CustodyEventResults = Schemas['CustodyEventResultsResponse'];
export type CustodyEventResult = Schemas['CustodyEventResultResponse'];
// The admin console (issue 15)
export type Account = Schemas['AccountResponse'];
export type CreatedUser = Schemas['UserResponse'];
export type ApiKey = Schemas['ApiKeyResponse'];
export type CreatedApiKey = Schemas['CreatedApiKeyResponse'];
export type Webhook = Schemas['WebhookResponse'];
export type CreatedWebhook = Schemas['CreatedWebhookResponse'];
export type WebhookDelivery = Schemas['WebhookDeliveryResponse'];
export type AuditEntry = Schemas['AuditEntryResponse'];
export type PolicyChange = Schemas['PolicyChangeResponse'];
export type Certification = Schemas['CertificationResponse'];
export type PasswordCheck = Schemas['PasswordCheckResponse'];
export type QueueDashboardTicket = Schemas['QueueDashboardTicketResponse'];
export type Worklist = Schemas['WorklistResponse'];
export type WorklistSection = Schemas['WorklistSectionResponse'];
export type MarkAllRead = Schemas['MarkAllReadResponse'];
