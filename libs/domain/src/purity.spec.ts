import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The domain is pure TypeScript: no framework, ORM, queue or Redis imports may creep in. */
const FORBIDDEN = /from ['"](@nestjs\/[^'"]+|typeorm|bullmq|ioredis|pg|express|class-validator|class-transformer|@app\/(?!domain)[^'"]*)['"]/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('libs/domain purity', () => {
  const files = sources(__dirname);

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [f.slice(__dirname.length + 1), f]))('%s imports no framework code', (_name, file) => {
    const offending = readFileSync(file, 'utf8').split('\n').filter((line) => FORBIDDEN.test(line));
    expect(offending).toEqual([]);
  });

  it('rules never read the wall clock', () => {
    const offenders = files
      .filter((f) => !f.endsWith('.spec.ts'))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => /Date\.now\(\)|new Date\(\)/.test(l)).map((l) => `${f}: ${l.trim()}`));
    expect(offenders).toEqual([]);
  });
});
