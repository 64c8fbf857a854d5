import { BenchPart } from '../bench';
import { DEFAULT_AS_OF, ensureNationalDataset } from '../generator/national-dataset';

export const NATIONAL_DETAINERS = Number(process.env.BENCH_DETAINERS ?? 3_000_000);

/** Builds (or reuses) the national data set the report and queue benchmarks read. */
export const datasetPart: BenchPart = {
  name: 'dataset',
  description: `the shared national data set (${NATIONAL_DETAINERS.toLocaleString('en-US')} detainers over ten years; BENCH_DETAINERS to change)`,
  async run(ctx) {
    const { dataset, reused, url } = await ensureNationalDataset(ctx.scratchDatabase, ctx.scratchDatabaseUrl, {
      detainers: NATIONAL_DETAINERS,
      asOf: DEFAULT_AS_OF,
      skipForeignKeyChecks: true,
      log: ctx.log,
    });
    if (reused || !dataset) {
      return [{ title: 'National data set', columns: ['database', 'state'], rows: [[new URL(url).pathname.slice(1), 'reused (options unchanged)']] }];
    }
    return [
      {
        title: 'National data set',
        columns: ['detainers', 'lodgings', 'jurisdictions', 'agencies', 'facilities', 'AORs', 'build (s)', 'detainers/s'],
        rows: [[dataset.detainers, dataset.lodgings, dataset.jurisdictions, dataset.agencies, dataset.facilities, dataset.areas, dataset.seconds, dataset.detainers / dataset.seconds]],
        notes: [`as of ${dataset.asOf.toISOString()}; deterministic (same options, same rows)`],
      },
    ];
  },
};
