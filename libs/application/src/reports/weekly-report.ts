import { createHash } from 'node:crypto';
import { DomainError, reportContent, WeeklyReportBody } from '@app/domain';
import { REPORTING_SCOPE, withDatabaseScope } from '@app/persistence';
import { Principal } from '../principal';

/** A report as served: the frozen body of a version, or the live figures. */
export type WeeklyReport = WeeklyReportBody & {
  version: number | 'live';
  status: 'published' | 'live';
  publishedAt?: string;
  publishedBy?: 'supervisor' | 'system';
  /** Live only: whether the week has closed, and what blocks publication. */
  closed?: boolean;
  publishable?: { ok: boolean; blockers: string[] };
  latestPublishedVersion?: number | null;
};

export type VersionSelector = number | 'latest' | 'live';

export type TrendPoint = { weekStart: string; issued: number; declined: number };

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** The hash a version is compared by: a new version is published only when this changes. */
export function contentHashOf(body: WeeklyReportBody): string {
  return sha256(reportContent(body));
}

export function mayReadLive(p: Principal | null): boolean {
  return p !== null && (p.role === 'supervisor' || p.role === 'admin');
}

export function assertMayReadLive(p: Principal | null): void {
  if (p === null) throw new DomainError('unauthenticated', 'Live figures are for supervisors and admins: sign in (Authorization: Bearer <token>).');
  if (!mayReadLive(p)) throw new DomainError('forbidden', `Your role (${p.role}) reads published versions only; live figures are for supervisors and admins.`);
}

/**
 * National figures are computed over every agency's records, whoever asks: in the reporting scope,
 * which reads no subject's identity (see DatabaseScope). What callers then see is de-identified.
 */
export function nationally<T>(work: () => Promise<T>): Promise<T> {
  return withDatabaseScope(REPORTING_SCOPE, work);
}
