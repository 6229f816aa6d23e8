/**
 * Shared pieces of the benchmarks: a suite interface, an ns/op timer and the machine
 * description that goes with every figure. Benchmarks measure; they never assert.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';

export interface BenchSuite {
  /** Short id used on the command line (`npm run bench -- detectors`) and as the section key. */
  name: string;
  title: string;
  /** Runs the benchmark and returns a Markdown section (tables, notes). */
  run(): Promise<string>;
}

/** Runs `fn(i)` `iterations` times after a warm-up and returns nanoseconds per call. */
export function nsPerOp(
  fn: (i: number) => void,
  iterations: number,
  warmup = Math.min(iterations, 10_000),
): number {
  for (let i = 0; i < warmup; i++) fn(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return ((performance.now() - start) * 1e6) / iterations;
}

/** Median of `runs` measurements of `measureOnce()`; damps noise from the other core. */
export function median(runs: number, measureOnce: () => number): number {
  const values = Array.from({ length: runs }, measureOnce).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] as number;
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node.js ${process.version}`;
}

/** Formats a Markdown table from a header row and data rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fmt = (x: number, digits = 1): string =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : String(x);
