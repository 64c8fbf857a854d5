import { AsyncLocalStorage } from 'node:async_hooks';
import { AccessScope } from './scope';
import type { IsolationLevel, Sql } from './sql';

/**
 * What PostgreSQL's row-level security lets a transaction see: the second wall behind the scope
 * conditions every query already carries. It is set inside each transaction with
 * `set_config(..., true)` (never a session-level SET: a pooled connection would carry it to its
 * next user), and a transaction that sets none sees no row of the protected tables.
 *
 * - `system`: the worker, scheduled jobs and the CLI; everything.
 * - `reporting`: national roll-ups; every detainer, lodging and event, but subjects only through
 *   the de-identified `subject_demographics` view, and no notification or delivery.
 * - `all` (admins), `area` (officers, supervisors), `agency` (jail staff, agency systems), `none`:
 *   the same reach as `AccessScope`; `userId` opens the caller's own inbox.
 */
export type DatabaseScope =
  | { kind: 'system' }
  | { kind: 'reporting' }
  | (AccessScope & { userId?: string | null });

export const SYSTEM_SCOPE: DatabaseScope = { kind: 'system' };
export const REPORTING_SCOPE: DatabaseScope = { kind: 'reporting' };
export const NO_SCOPE: DatabaseScope = { kind: 'none' };

const ambient = new AsyncLocalStorage<DatabaseScope>();

/** Runs `work` with every transaction opened inside it (by `Database`) set to `scope`. */
export function withDatabaseScope<T>(scope: DatabaseScope, work: () => T): T {
  return ambient.run(scope, work);
}

/** The scope of transactions opened here, if one was set. */
export function ambientDatabaseScope(): DatabaseScope | undefined {
  return ambient.getStore();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(value: string, what: string): string {
  // Inlined into SQL text below: only a well-formed UUID may get there.
  if (!UUID.test(value)) throw new Error(`database scope: ${what} is not a UUID`);
  return value.toLowerCase();
}

/** The settings a scope stands for (`app.*`, read by the policies through `app_scope()` and friends). */
export function scopeSettings(scope: DatabaseScope): Record<string, string> {
  const settings: Record<string, string> = { 'app.scope': scope.kind };
  switch (scope.kind) {
    case 'area':
      settings['app.area_id'] = uuid(scope.areaId, 'areaId');
      break;
    case 'agency':
      settings['app.agency_id'] = uuid(scope.agencyId, 'agencyId');
      break;
    default:
      break;
  }
  if ('userId' in scope && scope.userId) settings['app.user_id'] = uuid(scope.userId, 'userId');
  return settings;
}

/** Whether a transaction needs to set anything: `none` without a user is what an unset transaction already is. */
export function scopeNeedsSettings(scope: DatabaseScope): boolean {
  return !(scope.kind === 'none' && !scope.userId);
}

/**
 * BEGIN with its isolation level, the scope's settings and the detainers opened for change (see
 * openDetainerForChange), as one round trip (a simple-protocol query of two statements; every value
 * inlined is a fixed word or a checked UUID).
 */
export function beginStatement(isolation: IsolationLevel, scope: DatabaseScope, openDetainers: readonly string[] = [], then?: string): string {
  const settings = { ...scopeSettings(scope), ...(openDetainers.length > 0 && { 'app.detainer_ids': openDetainers.map((id) => uuid(id, 'detainer id')).join(',') }) };
  const begin = `BEGIN ISOLATION LEVEL ${isolation}; SELECT ${Object.entries(settings).map(([name, value]) => `set_config('${name}', '${value}', true)`).join(', ')}`;
  return then === undefined ? begin : `${begin}; ${then}`;
}

/**
 * A statement's `$n` parameters written into its text, for the simple-protocol BEGIN above: only
 * UUIDs may be inlined (checked), anything else is refused.
 */
export function inlineUuidParams(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_m, n: string) => {
    const value = values[Number(n) - 1];
    if (typeof value !== 'string') throw new Error(`inlined parameter $${n} is not a UUID`);
    return `'${uuid(value, `parameter $${n}`)}'::uuid`;
  });
}

/**
 * Opens the detainer a use case acts on, for the rest of the transaction: its whole history and its
 * rows become readable and writable whatever the scope (a decision folds every event; a release to
 * another agency writes that agency's lodging). Call only once the caller's reach was checked.
 */
export async function openDetainerForChange(sql: Sql, detainerId: string): Promise<void> {
  if (sql.openedDetainers.has(detainerId.toLowerCase())) return;
  await sql.query(`SELECT set_config('app.detainer_ids', concat_ws(',', NULLIF(current_setting('app.detainer_ids', true), ''), $1::uuid::text), true)`, [detainerId]);
  sql.openedDetainers.add(detainerId.toLowerCase());
}
