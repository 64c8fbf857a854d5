/** Shared Jest settings. Nest 12 packages are ESM-only, so @swc/jest transforms them too. */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', {
      jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } },
      module: { type: 'commonjs' },
    }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|temporal-polyfill|temporal-utils|temporal-spec|request-filtering-agent|hyparquet|hyparquet-writer)/)'],
  moduleNameMapper: {
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
    '^@test/support$': '<rootDir>/test/support',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
