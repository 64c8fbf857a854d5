import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import IORedis from 'ioredis';
import { AuthenticationService, Principal } from '@app/application';
import { APP_CONFIG, AppConfig } from '@app/config';
import { HEALTH_REDIS } from '../health/health.controller';

/** A ticket is good for one exchange, within a minute of being issued. */
export const TICKET_TTL_SECONDS = 60;
/** The dashboard's cookie: http-only, sent only to /admin/queues, only from this site. */
export const QUEUE_DASHBOARD_COOKIE = 'dw_queues';

interface Holder {
  sessionId: string;
  userId: string;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * How a signed-in admin's browser reaches bull-board, which cannot send the app's bearer token: the
 * console asks for a short-lived single-use ticket, the browser opens /admin/queues/enter?ticket=…,
 * and the ticket is exchanged for an http-only cookie bound to the admin's session. The cookie is
 * worth no more than that session: when it ends (sign-out, idle, disabled), the cookie stops working.
 * Only SHA-256 digests of tickets and cookies are kept, in Redis.
 */
@Injectable()
export class QueueDashboardAccess {
  private readonly prefix: string;

  constructor(
    @Inject(HEALTH_REDIS) private readonly redis: IORedis,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthenticationService,
  ) {
    this.prefix = `${config.queuePrefix}:queue-dashboard`;
  }

  async issueTicket(principal: Principal, now: Date): Promise<{ ticket: string; expiresAt: Date }> {
    if (!principal.session) throw new Error('A queue dashboard ticket needs a signed-in session.');
    const ticket = randomBytes(32).toString('base64url');
    const holder: Holder = { sessionId: principal.session.id, userId: principal.id };
    await this.redis.set(`${this.prefix}:ticket:${digest(ticket)}`, JSON.stringify(holder), 'EX', TICKET_TTL_SECONDS);
    return { ticket, expiresAt: new Date(now.getTime() + TICKET_TTL_SECONDS * 1000) };
  }

  /** Uses the ticket up (GET and DEL in one transaction: a second use finds nothing) and opens a cookie for its session. */
  async redeem(ticket: string): Promise<{ cookie: string; principal: Principal } | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(ticket)) return null;
    const key = `${this.prefix}:ticket:${digest(ticket)}`;
    const replies = await this.redis.multi().get(key).del(key).exec();
    const raw = replies?.[0]?.[1];
    if (typeof raw !== 'string') return null;
    const holder = JSON.parse(raw) as Holder;
    const principal = await this.auth.authenticateSession(holder.sessionId, holder.userId);
    const cookie = randomBytes(32).toString('base64url');
    const ttl = Math.max(60, Math.ceil(((principal.session?.expiresAt.getTime() ?? Date.now()) - Date.now()) / 1000));
    await this.redis.set(`${this.prefix}:cookie:${digest(cookie)}`, raw, 'EX', ttl);
    return { cookie, principal };
  }

  /** The admin behind a dashboard cookie, or null; throws the authentication failure when their session is over. */
  async principalOf(cookie: string): Promise<Principal | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(cookie)) return null;
    const raw = await this.redis.get(`${this.prefix}:cookie:${digest(cookie)}`);
    if (!raw) return null;
    const holder = JSON.parse(raw) as Holder;
    return this.auth.authenticateSession(holder.sessionId, holder.userId);
  }
}
