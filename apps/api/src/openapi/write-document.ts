import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@app/config';
import { ApiModule } from '../api.module';
import { buildOpenApiDocument } from './openapi-document';

/**
 * Writes the OpenAPI document the API serves at /docs-json to a file, without serving anything:
 * `node -r ./libs/testing/src/ts-register.js apps/api/src/openapi/write-document.ts <file>`.
 * The web app's API types are generated from it (scripts/openapi-types.mjs). Building the app's
 * modules opens (and then closes) a connection to DATABASE_URL; nothing is read or written.
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('Usage: write-document <file.json>');
  const config = loadConfig({ NODE_ENV: 'development', ...process.env, LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(ApiModule.forRoot(config), { logger: false, abortOnError: false });
  try {
    const document = buildOpenApiDocument(app, config.publicUrl);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  } finally {
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('Could not write the OpenAPI document:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
