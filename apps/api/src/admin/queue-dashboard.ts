import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuthenticationService } from '@app/application';
import { JobProducer, QUEUES } from '@app/queue';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** The dashboard's own requests come from a browser page, which sends cookies but no Authorization header. */
export const DASHBOARD_COOKIE = 'dw_token';

/**
 * bull-board at /admin/queues, for admins only: a Bearer token (or the dw_token cookie holding one)
 * of an admin. Everyone else gets the API's error shape: 401 without credentials, 403 for other roles.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const producer = app.get(JobProducer);
  const auth = app.get(AuthenticationService);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: Object.values(QUEUES).map((name) => new BullMQAdapter(producer.queue(name))), serverAdapter });

  const adminOnly = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = bearer(req) ?? cookie(req, DASHBOARD_COOKIE);
    if (!token) {
      res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'The queue dashboard is for admins: send an admin Bearer token.' });
      return;
    }
    try {
      const principal = await auth.principalFromToken(token);
      if (principal.role !== 'admin') {
        res.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'The queue dashboard is for admins only.' });
        return;
      }
      // The same rules as the API's guard: the admin's second factor, and a recent sign-in before changing anything.
      if (auth.secondFactorMissing(principal)) {
        res.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'Admins must sign in with a second factor (POST /api/v1/auth/mfa/totp).' });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD' && auth.reauthenticationDue(principal)) {
        res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Changing jobs needs a recent sign-in: POST /api/v1/auth/reauthenticate, then retry.' });
        return;
      }
    } catch {
      res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'The token is invalid or expired; sign in again.' });
      return;
    }
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
