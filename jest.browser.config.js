/**
 * Browser tests: the built web app in headless Chromium (Debian's `chromium`, driven by
 * playwright-core) against the real API, PostgreSQL and Redis. One browser at a time: 2 cores.
 */
const base = require('./jest.base.config');
module.exports = {
  ...base,
  displayName: 'browser',
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/contract-setup.ts'],
  testTimeout: 60000,
  maxWorkers: 1,
};
