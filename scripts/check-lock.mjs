#!/usr/bin/env node
// Lists optional dependencies the lock file names but does not contain. npm leaves them out when
// the registry lacks a platform's binary, and `npm ci` then refuses the lock. Pin (or override)
// the package to a version whose binaries all exist, regenerate the lock, and run this again.
import { readFileSync } from 'node:fs';

const { packages } = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const missing = [];
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    let base = path;
    let found = false;
    for (;;) {
      if (packages[`${base ? `${base}/` : ''}node_modules/${dep}`]) { found = true; break; }
      if (!base) break;
      const i = base.lastIndexOf('/node_modules/');
      base = i >= 0 ? base.slice(0, i) : '';
    }
    if (!found) missing.push(`${path || '(root)'} -> ${dep}@${spec}`);
  }
}
if (missing.length) {
  console.error(`package-lock.json lacks ${missing.length} optional package(s); npm ci will refuse it:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log('package-lock.json names every optional package it needs.');
