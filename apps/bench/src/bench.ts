import { performance } from 'node:perf_hooks';
import { AppConfig } from '@app/config';

/**
 * `npm run bench [-- <part> ...]`: each part measures one issue's performance target and prints
 * tables that put our figure beside a baseline measured in the same run (never a timed test).
 */
export interface BenchContext {
  config: AppConfig;
  /** Creates (or recreates) a scratch database for the part and returns its URL. */
  scratchDatabase: (name: string) => Promise<string>;
  /** The URL a scratch database of this name has (whether or not it exists). */
  scratchDatabaseUrl: (name: string) => string;
  log: (line: string) => void;
}

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

export interface BenchPart {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchTable[]>;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

/** Median and p95 of `runs` timings of `work`; `setup` runs before each, untimed. */
export async function timesOf(runs: number, work: () => Promise<unknown>, setup?: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    await setup?.();
    times.push((await timed(work)).ms);
  }
  return { median: percentile(times, 50), p95: percentile(times, 95) };
}

export function formatTable(t: BenchTable): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: (string | number)[]) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [`\n${t.title}`, line(cells[0]), rule, ...cells.slice(1).map(line), ...(t.notes ?? []).map((n) => `  ${n}`)].join('\n');
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
