/**
 * Distributions of durations (one-way delays, pause lengths) in scenario files, and their
 * samplers. Every kind may add a fixed `offsetMs` (a propagation floor under a heavy tail).
 *
 * - `constant` `{ ms }`
 * - `uniform` `{ minMs, maxMs }`
 * - `normal` `{ meanMs, stdDevMs }`, clamped at 0
 * - `log-normal` `{ medianMs, sigma }`: `medianMs · e^(sigma·N(0,1))`, right-skewed like real RTTs
 * - `pareto` `{ scaleMs, alpha }`: `scaleMs / U^(1/alpha)`, a heavy tail (infinite variance
 *   for alpha ≤ 2)
 * - `exponential` `{ meanMs }`
 * - `empirical` `{ samplesMs }` or `{ trace }`: drawn uniformly from the given values, or from the
 *   one-way delays (`recvMs − sentMs`) of a trace file read with `readTrace`
 */
import type { Rng } from '../core/rng.js';
import { Fields } from './fields.js';
import { readTrace } from './traces/read-trace.js';

export type DistributionSpec = (
  | { kind: 'constant'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'normal'; meanMs: number; stdDevMs: number }
  | { kind: 'log-normal'; medianMs: number; sigma: number }
  | { kind: 'pareto'; scaleMs: number; alpha: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'empirical'; samplesMs?: number[]; trace?: string }
) & { offsetMs?: number };

export const DISTRIBUTION_KINDS = [
  'constant',
  'uniform',
  'normal',
  'log-normal',
  'pareto',
  'exponential',
  'empirical',
] as const;

/** Draws one value (ms, never negative) per call from the given generator. */
export type Sampler = (rng: Rng) => number;

/**
 * Standard normal draws by Box–Muller on a generic Rng, using both values of each pair (half the
 * logarithms). One per sampler, so each sampler's stream stays its own.
 */
function normalSource(): (rng: Rng) => number {
  let spare = Number.NaN;
  return (rng) => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return z;
    }
    let u = rng.next();
    while (u === 0) u = rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * rng.next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** Builds a sampler for a validated spec. Empirical samples must be resolved (`samplesMs`). */
export function createSampler(spec: DistributionSpec): Sampler {
  const offset = spec.offsetMs ?? 0;
  switch (spec.kind) {
    case 'constant':
      return () => offset + spec.ms;
    case 'uniform':
      return (rng) => offset + spec.minMs + rng.next() * (spec.maxMs - spec.minMs);
    case 'normal': {
      const normal = normalSource();
      return (rng) => offset + Math.max(0, spec.meanMs + spec.stdDevMs * normal(rng));
    }
    case 'log-normal': {
      const normal = normalSource();
      return (rng) => offset + spec.medianMs * Math.exp(spec.sigma * normal(rng));
    }
    case 'pareto':
      return (rng) => {
        let u = rng.next();
        while (u === 0) u = rng.next();
        return offset + spec.scaleMs / Math.pow(u, 1 / spec.alpha);
      };
    case 'exponential':
      return (rng) => {
        let u = rng.next();
        while (u === 0) u = rng.next();
        return offset - spec.meanMs * Math.log(u);
      };
    case 'empirical': {
      const samples = spec.samplesMs ?? [];
      return (rng) => offset + (samples[Math.floor(rng.next() * samples.length)] as number);
    }
  }
}

/**
 * Validates a distribution from a scenario file. An empirical `trace` path is resolved with
 * `resolvePath` and read now, so the returned spec carries its `samplesMs`.
 */
export function parseDistribution(
  value: unknown,
  path: string,
  f: Fields,
  resolvePath: (p: string) => string = (p) => p,
): DistributionSpec {
  if (typeof value === 'number') {
    if (!(Number.isFinite(value) && value >= 0)) f.fail(path, 'must be a number ≥ 0', value);
    return { kind: 'constant', ms: value };
  }
  const o = f.object(value, path);
  const kind = o.kind;
  if (typeof kind !== 'string' || !(DISTRIBUTION_KINDS as readonly string[]).includes(kind)) {
    f.fail(`${path}.kind`, `must be one of ${DISTRIBUTION_KINDS.join(', ')}`, kind);
  }
  const offsetMs = f.optionalNumber(o, 'offsetMs', path, 'non-negative');
  const withOffset = <T extends object>(d: T): T & { offsetMs?: number } =>
    offsetMs === undefined ? d : { ...d, offsetMs };
  const keys = (...k: string[]) => f.onlyKeys(o, path, ['kind', 'offsetMs', ...k]);
  switch (kind as DistributionSpec['kind']) {
    case 'constant':
      keys('ms');
      return withOffset({ kind: 'constant', ms: f.number(o, 'ms', path, 'non-negative') });
    case 'uniform': {
      keys('minMs', 'maxMs');
      const minMs = f.number(o, 'minMs', path, 'non-negative');
      const maxMs = f.number(o, 'maxMs', path, 'non-negative');
      if (maxMs < minMs) f.fail(`${path}.maxMs`, 'must be ≥ minMs', maxMs);
      return withOffset({ kind: 'uniform', minMs, maxMs });
    }
    case 'normal':
      keys('meanMs', 'stdDevMs');
      return withOffset({
        kind: 'normal',
        meanMs: f.number(o, 'meanMs', path, 'non-negative'),
        stdDevMs: f.number(o, 'stdDevMs', path, 'non-negative'),
      });
    case 'log-normal':
      keys('medianMs', 'sigma');
      return withOffset({
        kind: 'log-normal',
        medianMs: f.number(o, 'medianMs', path, 'positive'),
        sigma: f.number(o, 'sigma', path, 'non-negative'),
      });
    case 'pareto':
      keys('scaleMs', 'alpha');
      return withOffset({
        kind: 'pareto',
        scaleMs: f.number(o, 'scaleMs', path, 'positive'),
        alpha: f.number(o, 'alpha', path, 'positive'),
      });
    case 'exponential':
      keys('meanMs');
      return withOffset({ kind: 'exponential', meanMs: f.number(o, 'meanMs', path, 'positive') });
    case 'empirical': {
      keys('samplesMs', 'trace');
      let samples: number[];
      if (o.trace !== undefined) {
        const file = resolvePath(f.string(o, 'trace', path));
        samples = [];
        for (const t of readTrace(file)) {
          for (const a of t.arrivals) if (a.recvMs !== null) samples.push(a.recvMs - a.sentMs);
        }
      } else {
        const raw = o.samplesMs;
        if (!Array.isArray(raw))
          f.fail(`${path}.samplesMs`, 'must be a list of numbers ≥ 0 (or give trace)', raw);
        raw.forEach((x, i) => {
          if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x)) {
            f.fail(`${path}.samplesMs[${i}]`, 'must be a number ≥ 0', x);
          }
        });
        samples = raw as number[];
      }
      if (samples.length === 0) f.fail(path, 'has no samples (a trace with no arrivals?)');
      return withOffset({ kind: 'empirical', samplesMs: samples });
    }
  }
}
