// The layer rules of eslint.config.mjs fire: each forbidden import, linted as if written in the
// layer it is forbidden in, is reported; the allowed ones are not. `node --test scripts/lint-layers.test.mjs`
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import boundaries from 'eslint-plugin-boundaries';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { domainClockRules, layerRules, layerSettings } from '../eslint.layers.mjs';

const root = path.resolve(import.meta.dirname, '..');

// The layer rules alone (no type information needed), so the fixtures need not be in a project.
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parser: tseslint.parser },
      plugins: { boundaries },
      settings: layerSettings,
      rules: layerRules,
    },
    { files: ['libs/domain/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ...domainClockRules] } },
  ],
});

async function layerFindings(file, source) {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${file} did not parse`);
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

const forbidden = [
  ['libs/domain/src/fixture.ts', "import { Injectable } from '@nestjs/common';"],
  ['libs/domain/src/fixture.ts', "import { DataSource } from 'typeorm';"],
  ['libs/domain/src/fixture.ts', "import { Queue } from 'bullmq';"],
  ['libs/domain/src/fixture.ts', "import IORedis from 'ioredis';"],
  ['libs/domain/src/fixture.ts', "import { Client } from 'pg';"],
  ['libs/domain/src/fixture.ts', "import { Database } from '@app/persistence';"],
  ['libs/application/src/fixture.ts', "import { createApiApp } from '../../../apps/api/src/create-api-app';"],
  ['libs/testing/src/fixture.ts', "import { WorkerModule } from '../../../apps/worker/src/worker.module';"],
  ['libs/testing/src/fixture.ts', "import { startTestApi } from '@test/support';"],
  ['apps/web/src/fixture.ts', "import { Clock } from '@app/application';"],
  ['apps/web/src/fixture.ts', "import { createApiApp } from '../../api/src/create-api-app';"],
  ['apps/web/src/lib/fixture.ts', "import { Clock } from '../../../../libs/application/src/clock';"],
];

for (const [file, source] of forbidden) {
  test(`${file}: ${source} is reported`, async () => {
    const findings = await layerFindings(file, `${source}\nexport const used = [${source.match(/import \{? ?(\w+)/)[1]}];\n`);
    assert.equal(findings.length, 1, `expected one layer finding, got ${JSON.stringify(findings)}`);
  });
}

const allowed = [
  ['libs/domain/src/fixture.ts', "import { Temporal } from 'temporal-polyfill';"],
  ['libs/domain/src/fixture.ts', "import { DomainError } from './errors';"],
  ['libs/application/src/fixture.ts', "import { Database } from '@app/persistence';"],
  ['apps/api/src/fixture.ts', "import { Clock } from '@app/application';"],
  ['test/support/fixture.ts', "import { createApiApp } from '../../apps/api/src/create-api-app';"],
  ['apps/web/src/fixture.ts', "import type { Me } from './api/types';"],
  ['apps/web/src/fixture.ts', "import { useState } from 'react';"],
  ['apps/web/src/lib/fixture.ts', "import { nameProblem } from '../../../../libs/domain/src/subject/plausibility';"],
];

for (const [file, source] of allowed) {
  test(`${file}: ${source} is allowed`, async () => {
    assert.deepEqual(await layerFindings(file, `${source}\n`), []);
  });
}

test('libs/domain never reads the wall clock', async () => {
  for (const expression of ['Date.now()', 'new Date()']) {
    const [result] = await eslint.lintText(`export const at = ${expression};\n`, { filePath: path.join(root, 'libs/domain/src/fixture.ts') });
    assert.deepEqual(result.messages.map((m) => m.ruleId), ['no-restricted-syntax'], expression);
  }
  const [allowed] = await eslint.lintText('export const at = (ms: number) => new Date(ms);\n', { filePath: path.join(root, 'libs/domain/src/fixture.ts') });
  assert.deepEqual(allowed.messages, []);
});
