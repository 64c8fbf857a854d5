import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApplicationOptions } from '@app/application';
import { AppConfig } from '@app/config';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { ApiModule } from './api.module';

/** The API as it runs in production; end-to-end tests build it the same way. */
export async function createApiApp(config: AppConfig, options: ApplicationOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, options), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  mountQueueDashboard(app);
  setUpOpenApi(app);
  return app;
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
