import { DatabaseBusyError } from './connection-queue';

/**
 * Whether an error means "the database, Redis or the network to them is unavailable", as opposed to a
 * fault of the request or of the code: a restart, a dropped or refused connection, a pool that
 * cannot hand out one (DatabaseBusyError: every connection in use, no room or time left to wait).
 * Nothing of the failed transaction was committed, and a retry shortly after may succeed: the API
 * answers 503 with Retry-After, and the audit log spools the entry.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof DatabaseBusyError) return true;
  for (const e of causes(error)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (CONNECTION_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code))) return true;
    if (e.name === 'QueryRunnerAlreadyReleasedError') return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/**
 * 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, shutting
 * down), 53300 too many connections, class 08 (connection exception, e.g. 08006, 08P01).
 */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
/** What pg, pg-pool, TypeORM and ioredis (Redis) say when a connection is gone, without a code. */
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Query runner already released|Client has encountered a connection error|Connection is not established|is not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Stream isn't writeable and enableOfflineQueue|Reached the max retries per request limit|^Connection is closed/i;

/** The error and what it wraps (TypeORM's driverError, an Error's cause), a few levels deep. */
function causes(error: unknown): { code?: unknown; name?: unknown; message?: unknown }[] {
  const out: { code?: unknown; name?: unknown; message?: unknown }[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const e = current as { code?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    out.push(e);
    current = e.driverError ?? e.cause;
  }
  return out;
}
