import 'reflect-metadata';
import { ConfigError, loadConfig, redact } from '@app/config';
import { SYSTEM_SCOPE, withDatabaseScope } from '@app/persistence';
import { verifyAuditChain } from './audit-verify';
import { IMPORT_USAGE, importRelease, parseImportArgs } from './import-release';
import { migrate } from './migrate';
import { prepareDatabase } from './prepare-database';
import { seedDemo } from './seed-demo';

const USAGE = `usage: node dist/apps/cli/main.js <command>
  prepare-database  with DATABASE_ADMIN_URL (a superuser): create the owner and application roles and the database
  migrate     create the database if missing and apply pending migrations
  seed-demo   load demo data into an empty database (does nothing when data exists)
  audit-verify  check the audit log's hash chain; prints { ok, rows, firstBrokenId? }, exit code 1 when broken
  import ice-release <file> --crosswalk <facilities.csv> [--dry-run]  import the federal release of detainer records`;

async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  switch (command) {
    case 'prepare-database':
      await prepareDatabase(config);
      return;
    case 'migrate':
      await migrate(config);
      return;
    case 'seed-demo':
      // Demo history is laid down through the use cases, as the system (no request, no principal).
      await withDatabaseScope(SYSTEM_SCOPE, () => seedDemo(config));
      return;
    case 'audit-verify':
      if (!(await verifyAuditChain(config)).ok) process.exitCode = 1;
      return;
    case 'import': {
      const args = parseImportArgs(process.argv.slice(3));
      if (!args) {
        console.error(IMPORT_USAGE);
        process.exitCode = 64;
        return;
      }
      // The import writes national records as the system (no request, no principal).
      await withDatabaseScope(SYSTEM_SCOPE, () => importRelease(config, args));
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = 64;
  }
}

main(process.argv[2]).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|ENOTFOUND|timeout/i.test(message)) {
    console.error(`Cannot reach PostgreSQL (${message}). Check DATABASE_URL (${redact(process.env.DATABASE_URL ?? 'default postgres://postgres@127.0.0.1:5432/detainers')}).`);
  } else {
    console.error(message);
  }
  process.exit(1);
});
