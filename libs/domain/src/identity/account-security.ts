/**
 * The account and session rules of the CJIS Security Policy (AC-7, AC-11, AC-12, IA-2), as pure
 * functions of instants: the API decides, these rules say.
 */

/** AC-7: this many failed logons within the window lock the account until an administrator unlocks it. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;

/**
 * Failed logons count from the latest of: the window's start, the last successful logon (the
 * policy speaks of consecutive failures), and the last unlock by an administrator.
 */
export function lockoutWindowStart(now: Date, lastLogonAt: Date | null, unlockedAt: Date | null): Date {
  const starts = [now.getTime() - LOCKOUT_WINDOW_MS, lastLogonAt?.getTime() ?? -Infinity, unlockedAt?.getTime() ?? -Infinity];
  return new Date(Math.max(...starts));
}

export function shouldLock(failuresInWindow: number): boolean {
  return failuresInWindow >= LOCKOUT_THRESHOLD;
}

export interface SessionLimits {
  /** AC-11: a session unused this long is over. */
  idleMs: number;
  /** AC-12 / re-authentication every 12 hours: no session outlives this, however busy. */
  absoluteMs: number;
}

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

export type SessionStatus = 'active' | 'ended' | 'idle_timeout' | 'expired';

export function sessionStatus(s: SessionTimes, now: Date, limits: Pick<SessionLimits, 'idleMs'>): SessionStatus {
  if (s.endedAt) return 'ended';
  if (now.getTime() >= s.expiresAt.getTime()) return 'expired';
  if (now.getTime() - s.lastSeenAt.getTime() >= limits.idleMs) return 'idle_timeout';
  return 'active';
}

export function sessionExpiresAt(createdAt: Date, limits: Pick<SessionLimits, 'absoluteMs'>): Date {
  return new Date(createdAt.getTime() + limits.absoluteMs);
}

/** Recording every request's time would be a write per request; a minute's precision is plenty for a 30-minute limit. */
export const SESSION_TOUCH_INTERVAL_MS = 30_000;

export function sessionNeedsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS;
}

/** An access token never outlives its session. Returns the token's expiry in whole seconds since the epoch. */
export function accessTokenExpiry(now: Date, ttlSeconds: number, sessionExpiresAt: Date): number {
  return Math.floor(Math.min(now.getTime() + ttlSeconds * 1000, sessionExpiresAt.getTime()) / 1000);
}

/** Privileged actions need a sign-in (or re-authentication) no older than `maxAgeMs`. */
export function reauthenticationDue(authenticatedAt: Date, now: Date, maxAgeMs: number): boolean {
  return now.getTime() - authenticatedAt.getTime() >= maxAgeMs;
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * A sliding-log limiter. `recent` holds the times of earlier attempts inside the window, newest
 * first (at least `limit` of them when there are that many). When `limit` attempts already fall in
 * the window this one is refused, and the answer says how long until the oldest of those leaves it.
 */
export function rateLimitDecision(recent: readonly Date[], now: Date, rule: RateLimit): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
  const inWindow = recent.filter((t) => now.getTime() - t.getTime() < rule.windowMs);
  if (inWindow.length < rule.limit) return { allowed: true };
  const sorted = [...inWindow].sort((a, b) => b.getTime() - a.getTime());
  const freesUp = sorted[rule.limit - 1].getTime() + rule.windowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freesUp - now.getTime()) / 1000)) };
}

/** TOTP (RFC 6238): the 30-second step an instant falls in. */
export const TOTP_PERIOD_SECONDS = 30;
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** A code is accepted once: a step at or before the last accepted one is a replay. */
export function totpReplayed(step: number, lastAcceptedStep: number | null): boolean {
  return lastAcceptedStep !== null && step <= lastAcceptedStep;
}
