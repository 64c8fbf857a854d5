import { Clock } from './clock';

/**
 * The clock of sessions, sign-in limits, tokens and audit timestamps: always the real time in
 * production. Kept apart from the domain `Clock` so that tests which move domain time by days do not
 * expire their own sessions; tests of the security rules move this one instead.
 */
export const SECURITY_CLOCK = Symbol('SecurityClock');
export type SecurityClock = Clock;
