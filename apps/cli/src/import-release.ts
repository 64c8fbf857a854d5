import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { ApplicationModule, ImportIceRelease, ImportSummary } from '@app/application';
import { AppConfig, AppConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';

export const IMPORT_USAGE = `usage: npm run import -- ice-release <file.csv|.xlsx|.parquet> --crosswalk <facilities.csv> [--dry-run] [--batch-size N]`;

export interface ImportArgs {
  kind: 'ice-release';
  file: string;
  crosswalk: string;
  dryRun: boolean;
  batchSize?: number;
}

/** The command line after `import`; null when it is not one (the caller prints the usage). */
export function parseImportArgs(argv: readonly string[]): ImportArgs | null {
  const [kind, ...rest] = argv;
  if (kind !== 'ice-release') return null;
  let file: string | undefined;
  let crosswalk: string | undefined;
  let dryRun = false;
  let batchSize: number | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const a = rest[i];
    if (a === '--crosswalk') crosswalk = rest[++i];
    else if (a.startsWith('--crosswalk=')) crosswalk = a.slice('--crosswalk='.length);
    else if (a === '--dry-run') dryRun = true;
    else if (a === '--batch-size') batchSize = Number(rest[++i]);
    else if (a.startsWith('--')) return null;
    else if (file === undefined) file = a;
    else return null;
  }
  if (!file || !crosswalk || (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0))) return null;
  return { kind, file, crosswalk, dryRun, ...(batchSize !== undefined && { batchSize }) };
}

/** Runs the import with a progress bar (rows, rows/s, ETA) on stderr and prints the summary as JSON on stdout. */
export async function importRelease(config: AppConfig, args: ImportArgs, log: (line: string) => void = console.log): Promise<ImportSummary> {
  @Module({ imports: [AppConfigModule.forRoot(config), PersistenceModule, ApplicationModule.forRoot()] })
  class ImportModule {}
  const app = await NestFactory.createApplicationContext(ImportModule, { logger: ['error', 'warn'] });
  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  const started = Date.now();
  let startRows = 0;
  try {
    const summary = await app.get(ImportIceRelease).execute({
      file: args.file,
      crosswalk: args.crosswalk,
      dryRun: args.dryRun,
      ...(args.batchSize !== undefined && { batchSize: args.batchSize }),
      onStart: ({ total, format, resumedAt, runId }) => {
        startRows = resumedAt;
        if (resumedAt > 0) process.stderr.write(`resuming run ${runId} after row ${resumedAt}\n`);
        process.stderr.write(`${args.dryRun ? 'dry run: ' : ''}reading ${format} ${args.file}\n`);
        bar.start(total, 0, { rows: resumedAt, rate: 0 });
      },
      onProgress: ({ rows, position }) => {
        const seconds = (Date.now() - started) / 1000;
        bar.update(position, { rows, rate: Math.round((rows - startRows) / Math.max(seconds, 0.001)) });
      },
    });
    bar.stop();
    log(JSON.stringify(summary, null, 2));
    return summary;
  } finally {
    bar.stop();
    await app.close();
  }
}
