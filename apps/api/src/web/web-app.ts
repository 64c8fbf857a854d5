import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/**
 * Paths the web app must never answer, even when a file or the SPA fallback could: the API, its
 * docs, health checks and the admin dashboard belong to the server.
 */
export const RESERVED_PATHS = /^\/(api|docs|docs-json|health|admin)(\/|$|\.)/;

/** Security headers for the HTML shell: the bundle loads only from this origin. */
const HTML_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

export interface WebApp {
  root: string;
  /** URL path (`/assets/index-abc.js`) -> file, listed once at start-up: the build does not change at run time. */
  files: Map<string, string>;
}

/** The built web app in `root`, or null when it has not been built (no index.html). */
export function loadWebApp(root: string): WebApp | null {
  if (!existsSync(path.join(root, 'index.html'))) return null;
  const files = new Map<string, string>();
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}/${name}`);
      else files.set(`${prefix}/${name}`, full);
    }
  };
  walk(root, '');
  return { root, files };
}

/**
 * Express middleware serving the web app: its files as they are (content-hashed assets cached for a
 * year), and index.html for any other GET that asks for HTML, so that deep links such as
 * /detainers/<id> open in the app. Reserved paths and non-GET requests pass straight through.
 */
export function webAppMiddleware(web: WebApp) {
  const index = web.files.get('/index.html')!;
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || RESERVED_PATHS.test(req.path)) { next(); return; }
    const file = req.path === '/' ? index : web.files.get(req.path);
    if (file && file !== index) {
      const immutable = req.path.startsWith('/assets/');
      res.sendFile(file, { maxAge: immutable ? '365d' : 0, immutable, dotfiles: 'deny', headers: { 'X-Content-Type-Options': 'nosniff' } }, (err) => {
        if (err) next(err);
      });
      return;
    }
    // A missing file with an extension (a stale asset, /favicon.ico) is a 404, not the app shell.
    if (!file && path.extname(req.path) !== '') { next(); return; }
    if (!req.accepts('html')) { next(); return; }
    res.sendFile(index, { headers: HTML_HEADERS, lastModified: false, etag: false }, (err) => {
      if (err) next(err);
    });
  };
}
