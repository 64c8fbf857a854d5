import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { auditActorOf, AuditLog, AuthenticationService, Principal } from '@app/application';
import { APP_CONFIG, AppConfig } from '@app/config';
import { JobProducer, JOB_QUEUES } from '@app/queue';
import { QUEUE_DASHBOARD_COOKIE, QueueDashboardAccess } from './queue-dashboard-access';
import { dashboardActionOf } from './queue-dashboard-actions';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

type DashboardRequest = Request & { dashboardPrincipal?: Principal };

/**
 * bull-board at /admin/queues, for admins only: an admin Bearer token, or the http-only cookie a
 * single-use ticket was exchanged for at /admin/queues/enter?ticket=… (POST /api/v1/admin/queue-dashboard/tickets).
 * Everyone else gets the API's error shape: 401 without credentials, 403 for other roles. Looking is
 * open to any signed-in admin; changing anything (pause, retry, clean, remove, ...) needs a recent
 * sign-in, and every attempt is written to the audit log with who, when and the outcome.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const producer = app.get(JobProducer);
  const auth = app.get(AuthenticationService);
  const access = app.get(QueueDashboardAccess);
  const audit = app.get(AuditLog);
  const config = app.get<AppConfig>(APP_CONFIG);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: Object.values(JOB_QUEUES).map((name) => new BullMQAdapter(producer.queue(name))), serverAdapter });

  const refuse = (res: Response, status: 401 | 403, message: string) =>
    res.status(status).json({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', code: status === 401 ? 'unauthenticated' : 'forbidden', message });

  const record = (req: DashboardRequest, principal: Principal | null, outcome: 'success' | 'failure', status: number, reason: string | null, action = dashboardActionOf(req.method, req.path)) =>
    audit.record({
      category: 'admin',
      action: action.action,
      outcome,
      status,
      reason,
      actor: auditActorOf(principal),
      sessionId: principal?.session?.id ?? null,
      target: { type: 'queues', id: action.queue },
      method: req.method,
      path: `${QUEUE_DASHBOARD_PATH}${req.path}`,
      requestId: typeof req.id === 'string' ? req.id : null,
      clientAddress: req.ip ?? null,
      details: action.details,
    });

  /** The ticket from the console, exchanged once for the cookie; then on to the dashboard. */
  const enter = async (req: DashboardRequest, res: Response): Promise<void> => {
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : '';
    const entry = { action: 'queues.enter', queue: null, details: {} };
    let redeemed: Awaited<ReturnType<QueueDashboardAccess['redeem']>> = null;
    try {
      redeemed = await access.redeem(ticket);
    } catch {
      redeemed = null;
    }
    if (!redeemed || redeemed.principal.role !== 'admin') {
      await record(req, redeemed?.principal ?? null, 'failure', 401, 'invalid_ticket', entry);
      refuse(res, 401, 'This link to the queue dashboard is used up or expired: open the dashboard again from the admin console.');
      return;
    }
    await record(req, redeemed.principal, 'success', 303, null, entry);
    res.cookie(QUEUE_DASHBOARD_COOKIE, redeemed.cookie, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.nodeEnv === 'production',
      path: QUEUE_DASHBOARD_PATH,
    });
    res.redirect(303, `${QUEUE_DASHBOARD_PATH}/`);
  };

  const adminOnly = async (req: DashboardRequest, res: Response, next: NextFunction): Promise<void> => {
    if (req.path === '/enter' && req.method === 'GET') return enter(req, res);
    const token = bearer(req);
    const cookieValue = cookie(req, QUEUE_DASHBOARD_COOKIE);
    if (!token && !cookieValue) {
      refuse(res, 401, 'The queue dashboard is for admins: open it from the admin console, or send an admin Bearer token.');
      return;
    }
    let principal: Principal | null;
    try {
      principal = token ? await auth.principalFromToken(token) : await access.principalOf(cookieValue!);
    } catch {
      principal = null;
    }
    if (!principal) {
      refuse(res, 401, 'Your sign-in has ended or this link has expired: sign in again and open the dashboard from the admin console.');
      return;
    }
    if (principal.role !== 'admin') {
      refuse(res, 403, 'The queue dashboard is for admins only.');
      return;
    }
    // The same rules as the API's guard: the admin's second factor, and a recent sign-in before changing anything.
    if (auth.secondFactorMissing(principal)) {
      refuse(res, 403, 'Admins must sign in with a second factor (POST /api/v1/auth/mfa/totp).');
      return;
    }
    const changing = req.method !== 'GET' && req.method !== 'HEAD';
    if (changing && auth.reauthenticationDue(principal)) {
      await record(req, principal, 'failure', 401, 'reauthentication_required');
      refuse(res, 401, 'The dashboard is read-only until you confirm your password: do so in the admin console, then retry.');
      return;
    }
    if (changing) {
      res.on('finish', () => {
        const ok = res.statusCode < 400;
        void record(req, principal, ok ? 'success' : 'failure', res.statusCode, ok ? null : `http_${res.statusCode}`).catch(() => undefined);
      });
    }
    req.dashboardPrincipal = principal;
    next();
  };
  app.use(QUEUE_DASHBOARD_PATH, adminOnly, serverAdapter.getRouter());
}

function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  return (typeof header === 'string' && /^Bearer\s+(\S+)$/i.exec(header)?.[1]) || null;
}

function cookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}
