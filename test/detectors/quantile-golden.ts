/**
 * The quantile detector's outputs, step by step, over the real fixture traces and the synthetic
 * sequences of quantile.test.ts, as text: what quantile-golden.test.ts compares with the recorded
 * file quantile.golden.txt, so that a refactoring of the detector is proven bit-identical. Every
 * number is written in JavaScript's shortest round-trip form (exact for a float64).
 *
 * For each case and every arrival the step's numbers are suspectAtMs, the suspicion at the
 * expected arrival and at the deadline's midpoint, and explain()'s details; they all go into a
 * running SHA-256, whose prefix is written every 1000 steps (a mismatch is found to the block),
 * and every 199th step is written in full. Every 1000 steps the run goes on with a `clone()` of
 * the detector, so the recorded outputs are also those of copies. The QoS replay's figures (the simulator's use of the
 * detector, branching crash runs off the failure-free one) are written in full too.
 */
import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import type { FailureDetector } from '../../src/detectors/detector.js';
import { createDetector, DETECTOR_KINDS } from '../../src/detectors/registry.js';
import type { DetectorSpec, QuantileParams } from '../../src/detectors/spec.js';
import { evaluateDetector } from '../../src/sim/qos.js';
import type { ArrivalTrace } from '../../src/sim/traces/arrival-trace.js';
import { readTrace } from '../../src/sim/traces/read-trace.js';
import { TRACE_DIR } from '../fixtures/trace-dir.js';

/** The file the text is recorded in. */
export const GOLDEN_FILE = new URL('./quantile.golden.txt', import.meta.url);

/** One arrival: its time and sequence number (undefined: none sent). */
type Step = readonly [atMs: number, seq: number | undefined];

interface Case {
  name: string;
  intervalMs: number;
  steps: Step[];
}

const CONFIGS: Record<string, QuantileParams> = {
  default: {},
  budget10: { mistakesPerHour: 10 },
  noSchedule: { schedulePeriodMs: 0 },
  short: { windowSize: 16, halfLifeMs: 60_000, mistakesPerHour: 2, schedulePeriodMs: 40_000 },
};

const BLOCK = 1000;
const SAMPLE_EVERY = 199;

function traceSteps(trace: ArrivalTrace): Step[] {
  const steps = trace.arrivals
    .filter((a) => a.recvMs !== null)
    .map((a) => [a.recvMs as number, a.seq] as const);
  // Arrivals in receive order, as a monitor reads them (reordered ones come late).
  return steps.sort((a, b) => a[0] - b[0]);
}

function fixtureCases(): Case[] {
  const file = (...parts: string[]): string => path.join(TRACE_DIR, ...parts);
  const cases: Case[] = [];
  const add = (name: string, trace: ArrivalTrace): void => {
    cases.push({ name, intervalMs: trace.intervalMs, steps: traceSteps(trace) });
  };
  add(
    'starlink-lagos',
    readTrace(file('starlink/isl-ping-gw-lagos-230911-172603-0.1s-60min.txt'))[0] as ArrivalTrace,
  );
  add('starlink-ping-D', readTrace(file('starlink/leo-isl-10ms-ping-D.txt'))[0] as ArrivalTrace);
  add('5g-cloud-upd', readTrace(file('5g/ping-cloud-ORAN-upd.txt'))[0] as ArrivalTrace);
  add('cellular-att', readTrace(file('cellular-att'), { concat: true })[0] as ArrivalTrace);
  return cases;
}

/** The sequences quantile.test.ts feeds its detectors, at full length. */
function syntheticCases(): Case[] {
  const periodic: Step[] = Array.from({ length: 60 }, (_, i) => [i * 100, i + 1]);
  const lossy: Step[] = [];
  for (let s = 1; s <= 62; s++) if (s !== 31 && s !== 32) lossy.push([(s - 1) * 100, s]);
  const outages = (steps: number, period: number): Step[] => {
    const out: Step[] = [];
    for (let seq = 1; seq <= steps; seq++) {
      const sent = (seq - 1) * 100;
      const phase = sent % period;
      if (phase >= 11_900 && phase < 12_900) continue;
      out.push([sent + 5 + ((seq * 7) % 11), seq]);
    }
    return out;
  };
  // A sender whose beats bunch, stall and restart its numbering: every guard of the detector.
  const rough: Step[] = [];
  let t = 0;
  let seq = 0;
  for (let i = 0; i < 4000; i++) {
    const k = (i * 2_654_435_761) % 1000;
    const gap = k < 900 ? 80 + (k % 41) : k < 960 ? 200 + 100 * (k % 7) : k < 990 ? 0 : 5_000;
    t += gap;
    seq = k === 999 ? seq + 10_000 : k === 998 ? seq : seq + 1 + (k % 50 === 0 ? 2 : 0);
    rough.push([t, k === 997 ? undefined : seq]);
  }
  return [
    { name: 'periodic', intervalMs: 100, steps: periodic },
    { name: 'lossy', intervalMs: 100, steps: lossy },
    { name: 'wrong-interval', intervalMs: 10, steps: periodic.slice(0, 50) },
    { name: 'outages-15s', intervalMs: 100, steps: outages(12 * 150 + 119, 15_000) },
    { name: 'outages-40s', intervalMs: 100, steps: outages(20 * 400 + 280, 40_000) },
    { name: 'rough', intervalMs: 100, steps: rough },
  ];
}

const DETAIL_KEYS = [
  'mistakesPerHour',
  'intervalMs',
  'expectedArrivalMs',
  'marginMs',
  'samples',
  'scheduledOutage',
  'schedulePeriodMs',
] as const;

/** The numbers one step is judged by, right after the arrival at `atMs`. */
function stepNumbers(d: FailureDetector, atMs: number): number[] {
  const deadline = d.suspectAtMs();
  const e = d.explain(atMs);
  const expected = e.details.expectedArrivalMs as number;
  const mid = Number.isFinite(deadline) ? (atMs + deadline) / 2 : atMs;
  return [
    deadline,
    e.suspicion,
    d.suspicion(expected),
    d.suspicion(mid),
    d.suspects(deadline) ? 1 : 0,
    d.memoryBytes(),
    ...DETAIL_KEYS.map((k) => e.details[k] as number),
  ];
}

function digestNumbers(hash: Hash, numbers: number[]): void {
  hash.update(new Uint8Array(Float64Array.from(numbers).buffer));
}

function runCase(c: Case, configName: string, out: string[]): void {
  const spec: DetectorSpec = { kind: 'quantile', ...CONFIGS[configName] };
  let d = createDetector(spec, { intervalMs: c.intervalMs });
  const hash = createHash('sha256');
  out.push(`case ${c.name} ${configName} steps ${c.steps.length}`);
  c.steps.forEach(([atMs, seq], i) => {
    d.heartbeat(atMs, seq);
    // Every 1000 steps the run goes on with a copy: a copy's outputs are the original's.
    if (i % BLOCK === BLOCK / 2) d = (d.clone as () => FailureDetector)();
    const numbers = stepNumbers(d, atMs);
    digestNumbers(hash, numbers);
    if (i % SAMPLE_EVERY === 0) out.push(`  step ${i} ${numbers.map(String).join(' ')}`);
    if ((i + 1) % BLOCK === 0 || i + 1 === c.steps.length) {
      out.push(`  digest ${i + 1} ${hash.copy().digest('hex').slice(0, 16)}`);
    }
  });
}

/** QoS figures in full (numbers as written by String: Infinity and NaN too). */
function qosLines(name: string, trace: ArrivalTrace, spec: DetectorSpec): string[] {
  const r = evaluateDetector(trace, spec);
  const fields = Object.entries(r)
    .filter(([k]) => k !== 'trace' && k !== 'spec')
    .map(([k, v]) => `${k}=${String(v)}`);
  return [`qos ${name} ${JSON.stringify(spec)}`, `  ${fields.join(' ')}`];
}

/** The whole golden text. */
export function goldenText(): string {
  const out: string[] = [
    '# Recorded by test/detectors/quantile-golden.ts; compared by quantile-golden.test.ts.',
    '# step: suspectAtMs suspicion(at) suspicion(expected) suspicion(mid) suspects(deadline)',
    `#       memoryBytes ${DETAIL_KEYS.join(' ')}`,
  ];
  const fixtures = fixtureCases();
  for (const c of [...fixtures, ...syntheticCases()]) {
    for (const config of Object.keys(CONFIGS)) runCase(c, config, out);
  }
  // The QoS replay: every kind on two 5G traces, the quantile configurations on two more.
  const trace = (...parts: string[]): ArrivalTrace =>
    readTrace(path.join(TRACE_DIR, ...parts), { concat: true })[0] as ArrivalTrace;
  for (const name of ['ping-MEC-ORAN.txt', 'ping-cloud-ORAN-upd.txt']) {
    const t = trace('5g', name);
    for (const kind of DETECTOR_KINDS) {
      if (kind !== 'quantile') out.push(...qosLines(name, t, { kind } as DetectorSpec));
    }
    for (const config of Object.values(CONFIGS)) {
      out.push(...qosLines(name, t, { kind: 'quantile', ...config }));
    }
  }
  const more: [string, ArrivalTrace][] = [
    ['starlink-ping-D', trace('starlink', 'leo-isl-10ms-ping-D.txt')],
    ['cellular-att', trace('cellular-att')],
  ];
  for (const [name, t] of more) {
    for (const config of Object.values(CONFIGS)) {
      out.push(...qosLines(name, t, { kind: 'quantile', ...config }));
    }
  }
  return `${out.join('\n')}\n`;
}
