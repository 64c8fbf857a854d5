import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { json, text } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ApplicationOptions } from '@app/application';
import { AppConfig } from '@app/config';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { refuseDeepJson } from './common/request-body';
import { ApiModule } from './api.module';
import { CUSTODY_EVENTS_CSV_PATH, CUSTODY_EVENTS_PATH } from './custody/custody-events.controller';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { loadWebApp, webAppMiddleware } from './web/web-app';

const CUSTODY_BODY_LIMIT = '2mb';

/** The API as it runs in production; end-to-end tests build it the same way. */
export async function createApiApp(config: AppConfig, options: ApplicationOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, options), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  if (config.jwt.developmentSecret) {
    app.get(Logger).warn('JWT_SECRET is not set: tokens are signed with the development secret shipped with the code. Set JWT_SECRET (at least 32 random characters) anywhere but a first look; production refuses to start without it.');
  }
  // Client address for the audit log and sign-in limits: the socket's, unless told how many proxies to trust.
  app.set('trust proxy', config.security.trustProxyHops);
  app.use(
    helmet({
      // Swagger UI at /docs needs inline styles; everything else is JSON.
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] } },
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    }),
  );
  // CORS is off (no CORS headers at all) unless CORS_ORIGINS names the browser origins allowed.
  if (config.security.corsOrigins.length) {
    app.enableCors({ origin: config.security.corsOrigins, credentials: false, allowedHeaders: ['Authorization', 'Content-Type', 'X-Api-Key', 'Idempotency-Key', 'X-Request-Id'], exposedHeaders: ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed'], maxAge: 600 });
  }
  // Nest's useBodyParser takes no `verify`: the depth check runs on the raw bytes, before JSON.parse.
  // A batch of up to 1,000 custody events is larger than any other body.
  app.use(CUSTODY_EVENTS_PATH, json({ limit: CUSTODY_BODY_LIMIT, verify: refuseDeepJson }));
  app.use(CUSTODY_EVENTS_CSV_PATH, text({ type: 'text/csv', limit: CUSTODY_BODY_LIMIT }));
  app.use(json({ limit: config.bodyLimit, verify: refuseDeepJson }));
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  mountQueueDashboard(app);
  setUpOpenApi(app, config);
  serveWebApp(app, config);
  return app;
}

/** The browser app at `/`, built by `npm run build` into dist/web (or WEB_ROOT); the API works without it. */
function serveWebApp(app: NestExpressApplication, config: AppConfig): void {
  const root = config.webRoot ?? path.resolve(__dirname, '../../../web');
  const web = loadWebApp(root);
  if (web) app.use(webAppMiddleware(web));
  else if (config.nodeEnv !== 'test') app.get(Logger).warn(`No web app in ${root} (no index.html): run \`npm run build\` to build it; the API works without it.`);
}

function setUpOpenApi(app: INestApplication, config: AppConfig): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, config.publicUrl), { jsonDocumentUrl: 'docs-json' });
}
