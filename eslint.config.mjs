// Lint: typescript-eslint's strict type-checked rules, and the layer rules of docs/style.md
// (eslint-plugin-boundaries): the domain is pure, use cases never reach into an app, the shared
// test library never starts an app (test/support does), the web app keeps to its own folder.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { domainClockRules, layerRules, layerSettings } from './eslint.layers.mjs';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**', 'apps/web/src/api/openapi.gen.ts', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
      globals: { ...globals.node },
    },
    plugins: { boundaries },
    settings: layerSettings,
    rules: {
      ...layerRules,
      // Most flagged conditions guard values typed as present but read from rows, env or JSON; the guards stay.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Non-null assertions mark places where a lookup is known to hit (a map built just above).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Spreading class instances into plain objects is how DTOs and rows are built here, on purpose.
      '@typescript-eslint/no-misused-spread': 'off',
      // Class instances assigned across module seams (Nest providers, TypeORM entities) are what DI hands over.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Fires on `let x = default; try { x = … }` patterns that read clearer than the alternative.
      'no-useless-assignment': 'off',
      // Template literals print numbers and unions of literals throughout messages and SQL.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // Unused arguments named `_x` are interface slots (Nest lifecycle hooks, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `(v) => setValue(v)` callbacks (React handlers, `resolve` in promise plumbing) are shorthand, not a value read.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Nest modules are classes that exist for their decorator (`@Module({...}) class X {}`, static `forRoot`).
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
    },
  },
  {
    // Rules take the clock as an argument (`now` travels with the command).
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', ...domainClockRules] },
  },
  {
    // The web app's tsconfig leaves out its unit tests and Vite config; tsconfig.node.json is theirs.
    files: ['apps/web/vite.config.mts', 'apps/web/src/**/*.spec.ts'],
    languageOptions: { parserOptions: { projectService: false, project: 'apps/web/tsconfig.node.json' } },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Tests build fixtures from loosely typed HTTP bodies and rows: the unsafe-any family would fire on every `res.body`.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts', '**/*.browser-spec.ts', 'test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      // Helpers like `ok<T>(res)` name the type a response body is read as, at the call.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
    },
  },
);
