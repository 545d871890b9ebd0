/**
 * Figures, ratios and the final table of `npm run bench`. Benchmarks print; they never assert
 * timings. Every row carries its baseline, measured in the same run (the same work done the
 * simplest fair way), or its budget (a limit such as the poll interval, labelled as one), and
 * the ratio to it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';

/** Nearest-rank percentile of `values` (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const mean = (values: readonly number[]): number =>
  values.reduce((a, b) => a + b, 0) / values.length;

/** p50/p95/p99/max/mean of a sample, in its own unit. */
export function summary(values: readonly number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
} {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean: mean(values),
  };
}

/** One line of the results table. */
export interface BenchRow {
  /** "1", "2", … "6b": the benchmark it belongs to. */
  id: string;
  what: string;
  figure: string;
  /** What the figure is compared with: a baseline measured in the same run, or a budget. */
  baseline: string;
  /**
   * 'budget' when `baseline` is a limit the figure must stay within (the poll interval), not
   * the same work done a simpler way; the table says so.
   */
  kind?: 'baseline' | 'budget';
  /** figure / baseline (a plain number; NaN when skipped). */
  ratio: number;
  /** Raw numbers for bench.json. */
  data?: Record<string, unknown>;
  /** Set when the benchmark could not run; says why. */
  skipped?: string;
}

export const ms = (v: number, digits = 2): string =>
  Number.isFinite(v) ? `${v.toFixed(digits)} ms` : 'n/a';
export const s = (v: number, digits = 2): string => `${(v / 1000).toFixed(digits)} s`;
export const ratioText = (r: number): string =>
  Number.isFinite(r) ? `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×` : '—';

/** The machine the figures were taken on. */
export function machine(): Record<string, string | number> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    /** 1-minute load average when asked: other work on the machine skews the figures. */
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The table printed at the end of the run. */
export function table(rows: readonly BenchRow[]): string {
  const head = ['#', 'benchmark', 'figure', 'baseline (same run) or budget', 'ratio'];
  const body = rows.map((r) => [
    r.id,
    r.what,
    r.skipped ? `skipped: ${r.skipped}` : r.figure,
    r.skipped ? '' : r.kind === 'budget' ? `budget: ${r.baseline}` : r.baseline,
    r.skipped ? '' : ratioText(r.ratio),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => pad(c, widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

/** Writes the figures and the machine as JSON (test-artifacts/bench.json). */
export function writeJson(
  path: string,
  rows: readonly BenchRow[],
  runtimeSeconds: number,
  loadAtStart: number,
): void {
  mkdirSync(dirname(path), { recursive: true });
  const json = {
    takenAt: new Date().toISOString(),
    machine: machine(),
    loadAverageAtStart: loadAtStart,
    runtimeSeconds: Math.round(runtimeSeconds * 10) / 10,
    results: rows.map((r) => ({
      ...r,
      kind: r.kind ?? 'baseline',
      ratio: Number.isFinite(r.ratio) ? Math.round(r.ratio * 1000) / 1000 : null,
    })),
  };
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}
