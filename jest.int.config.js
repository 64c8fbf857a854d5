/** Integration and end-to-end tests: real PostgreSQL and Redis, one database per test file. */
const base = require('./jest.base.config');
module.exports = {
  ...base,
  displayName: 'integration',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.int-spec.ts', '<rootDir>/libs/**/*.int-spec.ts', '<rootDir>/apps/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/contract-setup.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
