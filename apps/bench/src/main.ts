import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { quoteIdent } from '@app/persistence';
import { BenchContext, formatTable } from './bench';
import { BENCH_PARTS } from './parts';

async function main(names: string[]): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
  const unknown = names.filter((n) => !BENCH_PARTS.some((p) => p.name === n));
  if (unknown.length) {
    console.error(`Unknown benchmark part(s): ${unknown.join(', ')}. Parts: ${BENCH_PARTS.map((p) => p.name).join(', ') || '(none yet)'}`);
    process.exit(64);
  }
  const parts = names.length ? BENCH_PARTS.filter((p) => names.includes(p.name)) : BENCH_PARTS;
  const ctx: BenchContext = {
    config,
    log: (line) => console.log(`  … ${line}`),
    scratchDatabaseUrl(name) {
      const url = new URL(config.databaseUrl);
      url.pathname = `/${benchDatabaseName(name)}`;
      return url.toString();
    },
    async scratchDatabase(name) {
      const server = new URL(config.databaseUrl);
      const database = benchDatabaseName(name);
      server.pathname = '/postgres';
      const admin = new Client({ connectionString: server.toString() });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
      } finally {
        await admin.end();
      }
      server.pathname = `/${database}`;
      return server.toString();
    },
  };
  console.log(`Benchmarks on ${process.platform}/${process.arch}, Node ${process.version}; parts: ${parts.map((p) => p.name).join(', ')}`);
  for (const part of parts) {
    console.log(`\n== ${part.name}: ${part.description}`);
    for (const table of await part.run(ctx)) console.log(formatTable(table));
  }
}

function benchDatabaseName(name: string): string {
  // BENCH_DB_PREFIX keeps two checkouts on one machine out of each other's scratch databases.
  const prefix = (process.env.BENCH_DB_PREFIX ?? 'dw_bench_').replace(/[^a-z0-9_]/gi, '_');
  return `${prefix}${name.replace(/[^a-z0-9_]/gi, '_')}`;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
