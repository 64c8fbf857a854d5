/**
 * Lets a child process run the TypeScript sources as they are (the reminder tests SIGKILL a worker
 * running in its own process): compiles .ts with swc like Jest does, and resolves @app/* paths.
 * Usage: node -r ./libs/testing/src/ts-register.js apps/worker/src/main.ts
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const alias = /^@app\/([a-z-]+)(?:\/(.*))?$/.exec(request);
  return resolve.call(this, alias ? path.join(root, 'libs', alias[1], 'src', alias[2] ?? '') : request, ...rest);
};
require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
