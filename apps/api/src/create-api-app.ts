import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApplicationOptions } from '@app/application';
import { AppConfig } from '@app/config';
import { ApiModule } from './api.module';
import { loadWebApp, webAppMiddleware } from './web/web-app';

/** The API as it runs in production; end-to-end tests build it the same way. */
export async function createApiApp(config: AppConfig, options: ApplicationOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, options), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  setUpOpenApi(app);
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

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('detainer-workflow API')
      .setDescription(
        'Immigration detainers across federal, state, county and city agencies. Instants are ISO 8601 with offset; ' +
          'responses give UTC plus local time at the facility with its IANA zone. Errors: { statusCode, error, message, details? }.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
