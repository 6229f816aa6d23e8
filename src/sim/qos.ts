/**
 * Quality of service of a failure detector on a trace, as defined by Chen, Toueg and Aguilera,
 * "On the quality of service of failure detectors" (2002): how fast it detects a crash (T_D) and
 * how often and how long it wrongly suspects a live sender (λ_M, T_MR, T_M, P_A). Computed by
 * replaying the trace onto a fresh detector, without a clock or a node table: between two
 * arrivals a detector's verdict flips at most once, at its `suspectAtMs()`, so one detector call
 * per heartbeat is enough. docs/QOS.md says exactly how each number is computed, with a worked
 * example.
 */
import type { DetectorContext, FailureDetector } from '../detectors/detector.js';
import { createDetector } from '../detectors/registry.js';
import type { DetectorSpec } from '../detectors/spec.js';
import { SeededRng } from '../core/rng.js';
import { prepareTrace, type PreparedTrace } from './prepared-trace.js';
import { mean, percentileSorted } from './stats.js';
import { SuspicionTracker } from './suspicion-tracker.js';
import type { ArrivalTrace } from './traces/arrival-trace.js';

/** Makes the detector to evaluate: `createDetector` from the registry unless told otherwise. */
export type QosDetectorFactory = (spec: DetectorSpec, context: DetectorContext) => FailureDetector;

export interface QosOptions {
  /**
   * Crash points, as sequence numbers: the sender crashes right after sending each one (one
   * crash per run). @default every heartbeat of the trace
   */
  crashAfter?: readonly number[];
  /**
   * Crash times instead, in ms from the trace start (e.g. `randomCrashTimes`): the sender
   * crashes at each, between two heartbeats; the last heartbeat it sent is the newest sent at or
   * before that time, and detection time is measured from the crash. Takes precedence over
   * `crashAfter`. @default none
   */
  crashAtMs?: readonly number[];
  /**
   * Builds the detector (for detectors not in the registry, or instrumented ones); it must have
   * `clone()`, which the replay branches crash runs with. @default createDetector
   */
  create?: QosDetectorFactory;
}

/** The QoS of one detector on one trace. Times in ms unless the name says intervals. */
export interface QosResult {
  trace: string;
  spec: DetectorSpec;
  /** The trace's nominal sending interval, the unit of the `…Intervals` figures. */
  intervalMs: number;
  heartbeats: number;
  lost: number;

  /** Crash points evaluated (those after which at least one heartbeat arrived). */
  crashes: number;
  /** Crash points after which the detector never suspects (their T_D is Infinity). */
  undetected: number;
  /** T_D: mean, 99th percentile (nearest rank) and maximum detection time. */
  detectionMeanMs: number;
  detectionP99Ms: number;
  detectionMaxMs: number;
  detectionMeanIntervals: number;
  detectionP99Intervals: number;
  detectionMaxIntervals: number;

  /** Failure-free run: time from the first to the last accepted arrival. */
  observedMs: number;
  /** Wrong suspicions that a later heartbeat corrected. */
  mistakes: number;
  /** λ_M: mistakes per node-hour of observed time. */
  mistakesPerHour: number;
  /** T_MR: mean mistake recurrence time, observedMs / mistakes (Infinity without mistakes). */
  mistakeRecurrenceMs: number;
  /** T_M: mean mistake duration (NaN without mistakes). */
  mistakeDurationMs: number;
  /** Time the detector suspected during the observed time. */
  suspectedMs: number;
  /** P_A: query accuracy probability, 1 − suspectedMs / observedMs. */
  queryAccuracy: number;
}

/** Evaluates one detector spec on a trace. */
export function evaluateDetector(
  trace: ArrivalTrace,
  spec: DetectorSpec,
  options: QosOptions = {},
): QosResult {
  return evaluatePrepared(prepareTrace(trace), spec, options);
}

/** Evaluates many specs on one trace, preparing the trace once (the lab's sweeps). */
export function evaluateMany(
  trace: ArrivalTrace,
  specs: readonly DetectorSpec[],
  options: QosOptions = {},
): QosResult[] {
  const prepared = prepareTrace(trace);
  return specs.map((spec) => evaluatePrepared(prepared, spec, options));
}

const HOUR_MS = 3_600_000;

/** The replay itself, on a prepared trace. */
export function evaluatePrepared(
  p: PreparedTrace,
  spec: DetectorSpec,
  options: QosOptions = {},
): QosResult {
  const create = options.create ?? createDetector;
  const context: DetectorContext = { intervalMs: p.intervalMs };
  const n = p.recvMs.length;

  // Crash points whose run differs from a prefix of the failure-free run, by prefix length.
  const { points, crashTimes } = crashPlan(p, options);
  const branchAt = new Map<number, number[]>();
  for (const i of points) {
    if (p.exact[i] !== 1) continue;
    const prefix = p.prefix[i] as number;
    let list = branchAt.get(prefix);
    if (list === undefined) branchAt.set(prefix, (list = []));
    list.push(i);
  }
  const branchPermanentMs = new Map<number, number>();
  const branch = (tracker: SuspicionTracker, prefix: number): void => {
    for (const i of branchAt.get(prefix) ?? []) {
      branchPermanentMs.set(i, finishCrashRun(p, i, tracker.fork()));
    }
  };

  // Failure-free run: mistakes, suspected time, and per prefix the permanent-suspicion time.
  const tracker = new SuspicionTracker(create(spec, context));
  const permanentMs = new Float64Array(n + 1).fill(Infinity);
  let mistakes = 0;
  let mistakeMs = 0;
  let suspectedMs = 0;
  branch(tracker, 0);
  for (let i = 0; i < n; i++) {
    const t = p.recvMs[i] as number;
    tracker.arrive(t, p.seq[i] as number);
    suspectedMs += tracker.suspectedForMs;
    if (!Number.isNaN(tracker.endedSinceMs)) {
      mistakes++;
      mistakeMs += t - tracker.endedSinceMs;
    }
    permanentMs[i + 1] = tracker.permanentSuspicionMs();
    branch(tracker, i + 1);
  }
  const observedMs = n === 0 ? 0 : (p.recvMs[n - 1] as number) - (p.recvMs[0] as number);

  // Crash runs: detection time = permanent suspicion − crash, never negative.
  const detections = new Float64Array(points.length);
  let crashes = 0;
  let undetected = 0;
  for (let j = 0; j < points.length; j++) {
    const i = points[j] as number;
    const prefix = p.prefix[i] as number;
    const permanent =
      p.exact[i] === 1 ? (branchPermanentMs.get(i) as number) : (permanentMs[prefix] as number);
    if (Number.isNaN(permanent) || (prefix === 0 && p.exact[i] !== 1)) continue; // nothing arrived
    const crashMs = crashTimes === undefined ? (p.crashMs[i] as number) : (crashTimes[j] as number);
    const d = Math.max(0, permanent - crashMs);
    if (d === Infinity) undetected++;
    detections[crashes++] = d;
  }
  const sorted = detections.subarray(0, crashes).sort();
  const dMean = mean(sorted);
  const dP99 = percentileSorted(sorted, 0.99);
  const dMax = crashes === 0 ? Number.NaN : (sorted[crashes - 1] as number);

  return {
    trace: p.name,
    spec,
    intervalMs: p.intervalMs,
    heartbeats: p.heartbeats,
    lost: p.lost,
    crashes,
    undetected,
    detectionMeanMs: dMean,
    detectionP99Ms: dP99,
    detectionMaxMs: dMax,
    detectionMeanIntervals: dMean / p.intervalMs,
    detectionP99Intervals: dP99 / p.intervalMs,
    detectionMaxIntervals: dMax / p.intervalMs,
    observedMs,
    mistakes,
    mistakesPerHour: observedMs > 0 ? (mistakes * HOUR_MS) / observedMs : Number.NaN,
    mistakeRecurrenceMs: mistakes > 0 ? observedMs / mistakes : Infinity,
    mistakeDurationMs: mistakes > 0 ? mistakeMs / mistakes : Number.NaN,
    suspectedMs,
    queryAccuracy: observedMs > 0 ? 1 - suspectedMs / observedMs : Number.NaN,
  };
}

let allPoints = new Int32Array(0);

/** 0 … n − 1, shared between calls (read only). */
function everyIndex(n: number): Int32Array {
  if (allPoints.length < n) allPoints = Int32Array.from({ length: n }, (_, i) => i);
  return allPoints.subarray(0, n);
}

/**
 * The crash runs to evaluate: indexes into the trace's heartbeats (the last one sent before each
 * crash) and, for crashes at given times, those times (otherwise each crash is right after its
 * heartbeat's send). Unknown sequence numbers and times before the first send are skipped.
 */
function crashPlan(
  p: PreparedTrace,
  options: QosOptions,
): { points: ArrayLike<number> & Iterable<number>; crashTimes: Float64Array | undefined } {
  const n = p.crashMs.length;
  if (options.crashAtMs !== undefined) {
    const points: number[] = [];
    const times: number[] = [];
    for (const t of options.crashAtMs) {
      const i = lastAtOrBefore(p.crashMs, t);
      if (i < 0) continue;
      points.push(i);
      times.push(t);
    }
    return { points, crashTimes: Float64Array.from(times) };
  }
  if (options.crashAfter === undefined) return { points: everyIndex(n), crashTimes: undefined };
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) index.set(p.crashSeq[i] as number, i);
  const points: number[] = [];
  for (const k of options.crashAfter) {
    const i = index.get(k);
    if (i !== undefined) points.push(i);
  }
  return { points, crashTimes: undefined };
}

/** Index of the last value ≤ `x` in an ascending array, −1 when none. */
function lastAtOrBefore(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * `count` crash times drawn uniformly over the trace's sending period (first to last send), from
 * a seed: crashes "at random points" rather than right after a heartbeat.
 */
export function randomCrashTimes(trace: ArrivalTrace, count: number, seed: number): number[] {
  const first = trace.arrivals[0]?.sentMs;
  const last = trace.arrivals[trace.arrivals.length - 1]?.sentMs;
  if (first === undefined || last === undefined) return [];
  const rng = new SeededRng(seed);
  return Array.from({ length: count }, () => first + rng.next() * (last - first)).sort(
    (a, b) => a - b,
  );
}

/**
 * Finishes the crash run after heartbeat k (index i), branched off the failure-free run after its
 * accepted prefix: the reordered heartbeats ≤ k that this run accepts arrive, then nothing.
 * Returns when permanent suspicion begins; NaN when no heartbeat arrived at all.
 */
function finishCrashRun(p: PreparedTrace, i: number, tracker: SuspicionTracker): number {
  const k = p.crashSeq[i] as number;
  const prefix = p.prefix[i] as number;
  let newest = prefix === 0 ? -Infinity : (p.seq[prefix - 1] as number);
  const fromMs = prefix === 0 ? -Infinity : (p.recvMs[prefix - 1] as number);
  for (let j = firstAtOrAfter(p.lateRecvMs, fromMs); j < p.lateRecvMs.length; j++) {
    const seq = p.lateSeq[j] as number;
    if (seq > newest && seq <= k) {
      tracker.arrive(p.lateRecvMs[j] as number, seq);
      newest = seq;
    }
  }
  return Number.isNaN(tracker.lastMs) ? Number.NaN : tracker.permanentSuspicionMs();
}

/** Index of the first value ≥ `x` in an ascending array (binary search). */
function firstAtOrAfter(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
