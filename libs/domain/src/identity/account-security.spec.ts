import {
  accessTokenExpiry, LOCKOUT_THRESHOLD, LOCKOUT_WINDOW_MS, lockoutWindowStart, rateLimitDecision, reauthenticationDue, sessionExpiresAt,
  sessionNeedsTouch, sessionStatus, shouldLock, totpReplayed, totpStep,
} from './account-security';

const t = (iso: string) => new Date(iso);
const MIN = 60_000;

describe('lockout (AC-7)', () => {
  const now = t('2026-11-02T15:00:00Z');

  it('counts failures over the last 15 minutes by default', () => {
    expect(lockoutWindowStart(now, null, null)).toEqual(new Date(now.getTime() - LOCKOUT_WINDOW_MS));
  });

  it('a successful logon or an unlock inside the window restarts the count', () => {
    expect(lockoutWindowStart(now, t('2026-11-02T14:55:00Z'), null)).toEqual(t('2026-11-02T14:55:00Z'));
    expect(lockoutWindowStart(now, t('2026-11-02T14:50:00Z'), t('2026-11-02T14:58:00Z'))).toEqual(t('2026-11-02T14:58:00Z'));
    expect(lockoutWindowStart(now, t('2026-11-01T10:00:00Z'), t('2026-10-01T10:00:00Z'))).toEqual(new Date(now.getTime() - LOCKOUT_WINDOW_MS));
  });

  it.each([[0, false], [LOCKOUT_THRESHOLD - 1, false], [LOCKOUT_THRESHOLD, true], [LOCKOUT_THRESHOLD + 3, true]])('%i failures lock: %s', (n, locked) => {
    expect(shouldLock(n)).toBe(locked);
  });

  it('locks at the fifth failure', () => {
    expect(LOCKOUT_THRESHOLD).toBe(5);
    expect(LOCKOUT_WINDOW_MS).toBe(15 * MIN);
  });
});

describe('sessions (AC-11, AC-12)', () => {
  const createdAt = t('2026-11-02T08:00:00Z');
  const limits = { idleMs: 30 * MIN, absoluteMs: 12 * 60 * MIN };
  const session = (over: Partial<{ lastSeenAt: Date; endedAt: Date | null }> = {}) => ({
    createdAt,
    lastSeenAt: over.lastSeenAt ?? createdAt,
    expiresAt: sessionExpiresAt(createdAt, limits),
    endedAt: over.endedAt ?? null,
  });

  it('expires 12 hours after sign-in', () => {
    expect(sessionExpiresAt(createdAt, limits)).toEqual(t('2026-11-02T20:00:00Z'));
  });

  it.each([
    ['just used', session(), t('2026-11-02T08:29:59.999Z'), 'active'],
    ['30 minutes idle', session(), t('2026-11-02T08:30:00Z'), 'idle_timeout'],
    ['busy but past 12 hours', session({ lastSeenAt: t('2026-11-02T19:59:00Z') }), t('2026-11-02T20:00:00Z'), 'expired'],
    ['busy just before 12 hours', session({ lastSeenAt: t('2026-11-02T19:59:00Z') }), t('2026-11-02T19:59:59Z'), 'active'],
    ['ended (logout, disabled), even if recent', session({ endedAt: t('2026-11-02T08:01:00Z') }), t('2026-11-02T08:02:00Z'), 'ended'],
  ])('%s -> %s', (_name, s, now, status) => {
    expect(sessionStatus(s, now, limits)).toBe(status);
  });

  it('records use at most every 30 seconds', () => {
    expect(sessionNeedsTouch(createdAt, t('2026-11-02T08:00:29Z'))).toBe(false);
    expect(sessionNeedsTouch(createdAt, t('2026-11-02T08:00:30Z'))).toBe(true);
  });

  it('an access token ends with its TTL or its session, whichever is first', () => {
    expect(accessTokenExpiry(createdAt, 900, t('2026-11-02T20:00:00Z'))).toBe(createdAt.getTime() / 1000 + 900);
    expect(accessTokenExpiry(t('2026-11-02T19:55:00Z'), 900, t('2026-11-02T20:00:00Z'))).toBe(t('2026-11-02T20:00:00Z').getTime() / 1000);
  });

  it('privileged actions need a sign-in younger than the limit', () => {
    expect(reauthenticationDue(createdAt, t('2026-11-02T08:14:59Z'), 15 * MIN)).toBe(false);
    expect(reauthenticationDue(createdAt, t('2026-11-02T08:15:00Z'), 15 * MIN)).toBe(true);
  });
});

describe('rateLimitDecision (sliding log)', () => {
  const now = t('2026-11-02T15:00:00Z');
  const rule = { limit: 3, windowMs: 5 * MIN };
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('allows while fewer than `limit` attempts fall in the window', () => {
    expect(rateLimitDecision([], now, rule)).toEqual({ allowed: true });
    expect(rateLimitDecision([ago(1000), ago(2000)], now, rule)).toEqual({ allowed: true });
    expect(rateLimitDecision([ago(1000), ago(2000), ago(5 * MIN)], now, rule)).toEqual({ allowed: true });
  });

  it('refuses the attempt over the limit and says when the oldest counted one leaves the window', () => {
    expect(rateLimitDecision([ago(10_000), ago(60_000), ago(4 * MIN)], now, rule)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    // unordered input, more than `limit` entries: the third newest decides
    expect(rateLimitDecision([ago(4.5 * MIN), ago(1000), ago(2 * MIN), ago(3 * MIN)], now, rule)).toEqual({ allowed: false, retryAfterSeconds: 120 });
  });

  it('never says to retry in less than a second', () => {
    expect(rateLimitDecision([ago(1), ago(2), ago(5 * MIN - 1)], now, rule)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe('TOTP steps', () => {
  it('30-second steps since the epoch', () => {
    expect(totpStep(t('1970-01-01T00:00:59Z'))).toBe(1);
    expect(totpStep(t('2026-11-02T15:00:00Z'))).toBe(Math.floor(t('2026-11-02T15:00:00Z').getTime() / 30_000));
  });

  it('a code for the same or an earlier step is a replay', () => {
    expect(totpReplayed(100, null)).toBe(false);
    expect(totpReplayed(101, 100)).toBe(false);
    expect(totpReplayed(100, 100)).toBe(true);
    expect(totpReplayed(99, 100)).toBe(true);
  });
});
