import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { OpenApiContract, reportContractViolations } from '@app/testing';

const MAX_CAPTURE = 8 * 1024 * 1024;
/** What the contract covers: the API and the health checks (not the web app's files, not /docs). */
const CHECKED = /^\/(api|health)(\/|$|\.)/;

/**
 * Installs, before the app's routes, a middleware that keeps each response's status, media type
 * and body and checks them against the document once sent. Call before `app.init()`; `activate`
 * after it, with the document the app serves.
 */
export function recordResponsesAgainstContract(app: INestApplication): { activate(): Promise<void> } {
  let contract: OpenApiContract | null = null;
  app.use((req: Request, res: Response, next: NextFunction) => {
    const path = (req.originalUrl ?? req.url).split('?')[0];
    if (!CHECKED.test(path) || req.method === 'HEAD' || req.method === 'OPTIONS') { next(); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_CAPTURE) return;
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      size += buffer.length;
      chunks.push(buffer);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as Response['end'];
    res.on('finish', () => {
      if (!contract || size > MAX_CAPTURE) return;
      try {
        const route = (req as { route?: { path?: unknown } }).route;
        reportContractViolations(
          contract.check({
            method: req.method,
            path,
            routePattern: typeof route?.path === 'string' ? route.path : undefined,
            status: res.statusCode,
            contentType: res.getHeader('content-type')?.toString(),
            body: Buffer.concat(chunks),
          }),
        );
      } catch (error) {
        reportContractViolations([`${req.method} ${path}: the contract check itself failed: ${(error as Error).message}`]);
      }
    });
    next();
  });
  return {
    async activate() {
      const doc = await request(app.getHttpServer()).get('/docs-json');
      contract = new OpenApiContract(doc.body as Record<string, unknown>);
    },
  };
}
