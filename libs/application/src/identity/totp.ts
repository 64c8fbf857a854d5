import { Secret, TOTP } from 'otpauth';
import { TOTP_PERIOD_SECONDS, totpStep } from '@app/domain';

export const TOTP_ISSUER = 'detainer-workflow';
const DIGITS = 6;

function totpFor(base32Secret: string, username: string): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label: username, algorithm: 'SHA1', digits: DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(base32Secret) });
}

/** A fresh 160-bit secret (RFC 4226's recommendation), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(base32Secret: string, username: string): string {
  return totpFor(base32Secret, username).toString();
}

/**
 * The 30-second step a code belongs to, or null when it is wrong. One step either side is accepted
 * for clock drift; the caller refuses a step already used (replay).
 */
export function matchTotp(base32Secret: string, username: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(base32Secret, username).validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : totpStep(now) + delta;
}

/** The code for an instant (for tests and the demo). */
export function totpCodeAt(base32Secret: string, at: Date): string {
  return totpFor(base32Secret, 'x').generate({ timestamp: at.getTime() });
}
