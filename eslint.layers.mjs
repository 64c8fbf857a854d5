// The layer rules of docs/style.md (eslint-plugin-boundaries), on their own: they need no type
// information, so `npm run lint:layers` runs them over the whole tree in seconds (eslint -c eslint.layers.mjs).
// eslint.config.mjs, which `npm test` runs, applies the same rules together with typescript-eslint's strict type-checked set.
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** The layers, by folder. An import is judged by the layer of the file it resolves to. */
export const layers = [
  { type: 'domain', pattern: 'libs/domain' },
  { type: 'application', pattern: 'libs/application' },
  { type: 'testing', pattern: 'libs/testing' },
  { type: 'lib', pattern: 'libs/*', capture: ['lib'] },
  { type: 'web', pattern: 'apps/web' },
  { type: 'app', pattern: 'apps/*', capture: ['app'] },
  { type: 'migrations', pattern: 'migrations' },
  { type: 'test-support', pattern: 'test' },
];

/** Packages the domain may not import: it is pure TypeScript (frameworks, ORM, queue, Redis, database driver). */
const IMPURE = ['@nestjs/*', 'typeorm', 'typeorm/*', 'bullmq', 'ioredis', 'pg', 'pg/*', 'express', 'class-validator', 'class-transformer'];

export const layerRules = {
  'boundaries/dependencies': [
    'error',
    {
      default: 'allow',
      // Packages too, not only the project's own files: the domain's rule is about packages.
      checkAllOrigins: true,
      policies: [
        {
          from: { element: { type: 'domain' } },
          disallow: { to: { element: { type: '!domain' } } },
          message: 'libs/domain is pure: it imports only its own files',
        },
        {
          from: { element: { type: 'domain' } },
          disallow: { to: { module: { origin: 'external', source: IMPURE } } },
          message: 'libs/domain is pure: no NestJS, TypeORM, BullMQ, ioredis or pg',
        },
        {
          from: { element: { types: { anyOf: ['domain', 'application', 'testing', 'lib'] } } },
          disallow: { to: { element: { types: { anyOf: ['app', 'web', 'test-support'] } } } },
          message: 'libs/* never import the apps or test/ (a helper that starts an app lives in test/support)',
        },
        {
          // libs/domain is pure TypeScript: the forms apply the API's very plausibility rules.
          from: { element: { type: 'web' } },
          disallow: { to: { element: { types: { noneOf: ['web', 'domain'] } } } },
          message: 'the web app imports only its own folder (the API types are generated into apps/web/src/api)',
        },
        {
          // The web app's tsconfig has no @app/* paths, so such an import does not resolve to a file: match it by name.
          from: { element: { type: 'web' } },
          disallow: { to: { module: { source: ['@app/*', '@test/*'] } } },
          message: 'the web app imports only its own folder (the API types are generated into apps/web/src/api)',
        },
      ],
    },
  ],
};

export const domainClockRules = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'libs/domain never reads the wall clock: take `now` as an argument' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'libs/domain never reads the wall clock: take `now` as an argument' },
];

export const layerSettings = {
  'import/resolver': { typescript: { project: [`${root}/tsconfig.json`, `${root}/apps/web/tsconfig.json`], noWarnOnMultipleProjects: true } },
  'boundaries/elements': layers,
  'boundaries/root-path': root,
};


export default [
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**', 'apps/web/src/api/openapi.gen.ts', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: { parser: tseslint.parser },
    // typescript-eslint registered (none of its rules on) so that `eslint-disable @typescript-eslint/...` comments name a known rule.
    plugins: { boundaries, '@typescript-eslint': tseslint.plugin },
    settings: layerSettings,
    rules: layerRules,
    // The full config's directives (react-hooks, typescript-eslint) are not this config's business.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  // Registered so that the web app's `eslint-disable react-hooks/...` comments name a known rule.
  { files: ['apps/web/**/*.{ts,tsx}'], plugins: { 'react-hooks': reactHooks } },
  {
    // Rules take the clock as an argument (`now` travels with the command).
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', ...domainClockRules] },
  },
];
