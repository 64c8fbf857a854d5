import { DetainerSpine1795400000000 } from './1795400000000-detainer-spine';
import { IdentitySessionsAudit1795410000000 } from './1795410000000-identity-sessions-audit';
import { Reminders1795420000000 } from './1795420000000-reminders';
import { WeeklyReport1795430000000 } from './1795430000000-weekly-report';
import { ComplianceQueues1795440000000 } from './1795440000000-compliance-queues';
import { WebhookSecretsSealed1795450000000 } from './1795450000000-webhook-secrets-sealed';
import { LeastPrivilegeRowSecurity1795520000000 } from './1795520000000-least-privilege-row-security';
import { AuditHashChain1795520100000 } from './1795520100000-audit-hash-chain';
import { PublicText1795520200000 } from './1795520200000-public-text';
import { RowSecurityPlans1795520300000 } from './1795520300000-row-security-plans';
import { StoredReportContributions1795600000000 } from './1795600000000-stored-report-contributions';
import { ReportWeekMarks1795600100000 } from './1795600100000-report-week-marks';
import { DetainerListReachIndexes1795600200000 } from './1795600200000-detainer-list-reach-indexes';
import { CustodyEvents1795630000000 } from './1795630000000-custody-events';
import { CustodyAlerts1795630100000 } from './1795630100000-custody-alerts';
import { BookingAlerts1795630200000 } from './1795630200000-booking-alerts';
import { DetainerSearch1795640000000 } from './1795640000000-detainer-search';
import { WebhookDeliveriesIndex1795660000000 } from './1795660000000-webhook-deliveries-index';
import { JurisdictionCertifications1795660100000 } from './1795660100000-jurisdiction-certifications';
import { AuditLogFilterIndexes1795660200000 } from './1795660200000-audit-log-filter-indexes';
import { Agency287gDates1795660300000 } from './1795660300000-agency-287g-dates';
import { IceReleaseImport1795672000000 } from './1795672000000-ice-release-import';
import { ProfileContributions1795673000000 } from './1795673000000-profile-contributions';
import { RowSecurityCoveringQueueIndexes1795680000000 } from './1795680000000-row-security-covering-queue-indexes';
import { SubjectCorrectionReach1795681000000 } from './1795681000000-subject-correction-reach';
import { SearchSubjectIdsPlannedOnce1795681100000 } from './1795681100000-search-subject-ids-planned-once';
import { ReportWeekContributionsIndex1795686000000 } from './1795686000000-report-week-contributions-index';
import { DetainerListStatusIndexes1795686100000 } from './1795686100000-detainer-list-status-indexes';
import { QueueClaimHistory1795691000000 } from './1795691000000-queue-claim-history';
import { SubjectNameWords1795699000000 } from './1795699000000-subject-name-words';
import { LodgingReachPerStatement1795701000000 } from './1795701000000-lodging-reach-per-statement';
import { ImportStagePerConnection1795701100000 } from './1795701100000-import-stage-per-connection';

/** Every migration, oldest first. Listed explicitly so compiled and source runs see the same set. */
export const ALL_MIGRATIONS = [
  DetainerSpine1795400000000, IdentitySessionsAudit1795410000000, Reminders1795420000000, WeeklyReport1795430000000, ComplianceQueues1795440000000,
  WebhookSecretsSealed1795450000000, LeastPrivilegeRowSecurity1795520000000, AuditHashChain1795520100000, PublicText1795520200000, RowSecurityPlans1795520300000,
  StoredReportContributions1795600000000, ReportWeekMarks1795600100000, DetainerListReachIndexes1795600200000,
  CustodyEvents1795630000000, CustodyAlerts1795630100000, BookingAlerts1795630200000, DetainerSearch1795640000000,
  WebhookDeliveriesIndex1795660000000, JurisdictionCertifications1795660100000, AuditLogFilterIndexes1795660200000,
  Agency287gDates1795660300000, IceReleaseImport1795672000000, ProfileContributions1795673000000, RowSecurityCoveringQueueIndexes1795680000000,
  SubjectCorrectionReach1795681000000, SearchSubjectIdsPlannedOnce1795681100000,
  ReportWeekContributionsIndex1795686000000, DetainerListStatusIndexes1795686100000,
  QueueClaimHistory1795691000000, SubjectNameWords1795699000000, LodgingReachPerStatement1795701000000,
  ImportStagePerConnection1795701100000,
];
