#!/usr/bin/env node
// The web app's API types, generated from the OpenAPI document the API serves (/docs-json):
// writes the document to dist/openapi.json, then openapi-typescript turns it into
// apps/web/src/api/openapi.gen.ts (not committed; apps/web/src/api/types.ts re-exports from it).
// Run by `npm test`, `npm start` and `npm run typecheck`; by hand: `node scripts/openapi-types.mjs`.
// Building the API's modules needs a reachable PostgreSQL (it connects to the maintenance database
// `postgres` of DATABASE_URL's server and reads nothing).
import path from 'node:path';
import { DEFAULT_DATABASE_URL, fail, run } from './lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const documentFile = path.join(root, 'dist', 'openapi.json');
const typesFile = path.join(root, 'apps', 'web', 'src', 'api', 'openapi.gen.ts');

export async function generateApiTypes(databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL) {
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const env = { ...process.env, DATABASE_URL: maintenance.toString(), NODE_ENV: 'development', LOG_LEVEL: 'silent' };
  const register = path.join(root, 'libs', 'testing', 'src', 'ts-register.js');
  const writer = path.join(root, 'apps', 'api', 'src', 'openapi', 'write-document.ts');
  if ((await run(process.execPath, ['-r', register, writer, documentFile], { env })) !== 0) return false;
  return (await run('npx', ['--no-install', 'openapi-typescript', documentFile, '--output', typesFile, '--alphabetize'], { env: { ...process.env, NO_COLOR: '1' } })) === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.chdir(root);
  if (!(await generateApiTypes())) fail('Could not generate the web app\'s API types (see above).');
}
