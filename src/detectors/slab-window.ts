/**
 * The sample window of the windowed detectors (φ accrual, Cassandra's φ, Chen) in a block of
 * bytes: a block in a shared slab of a `SamplePool` (no per-node ArrayBuffer at all) or, without a
 * pool, in one small slab of their own, holding the last `capacity` samples as float32 with a
 * running sum and sum of squares, so mean and variance are O(1). The algorithm is that of the
 * test oracle `Ring` (test/detectors/ring-oracle.ts), operation for operation, so a window gives
 * bit for bit what a `Ring` of the same capacity would (test/detectors/ring.test.ts checks it).
 *
 * Precision: samples are stored as float32 (integers are exact up to 2^24 ms ≈ 4.6 h; fractional
 * milliseconds keep about 7 significant digits) and the sums are float64 of exactly the stored
 * values. Adding and removing values lets rounding error creep into the sums, so they are
 * recomputed from the stored samples every `capacity` pushes (O(1) amortised) and at once when
 * the value leaving the window dominates the sum of squares (where subtraction would cancel).
 *
 * Layout from the window's first byte `w` (a multiple of 8): the float64 sum and sum of squares,
 * a cursor (the count while filling; capacity + next index once full) and a count of pushes since
 * the last recomputation (both small integers, exact in float32, below 2^24), then `capacity`
 * float32 samples.
 */
import { MAX_DETECTOR_WINDOW } from '../core/limits.js';

/**
 * Largest magnitude a window stores, in ms (2^50 ms ≈ 35,000 years). Larger values can only come
 * from nonsense timestamps; clamping keeps squares and sums finite so no NaN can appear.
 */
export const WINDOW_VALUE_LIMIT = 2 ** 50;

/**
 * A slab of bytes seen through two typed arrays over one ArrayBuffer. Each number in a block is
 * always read and written through the same one of them (float64 fields through `f64`, samples and
 * counters through `f32`), so the views never need to agree on a byte; a detector's `clone()`
 * copies its block's bytes whole.
 */
export interface Slab {
  readonly f64: Float64Array;
  readonly f32: Float32Array;
}

/** A slab of `bytes` (a multiple of 8) zeroed bytes. */
export function newSlab(bytes: number): Slab {
  const buffer = new ArrayBuffer(bytes);
  return { f64: new Float64Array(buffer), f32: new Float32Array(buffer) };
}

/** Offsets in the window, in bytes. */
const SUM = 0;
const SQUARES = 8;
const CURSOR = 16;
const PUSHES = 20;
const SAMPLES = 24;

/** Bytes of a window's fixed part (sums and counters), before its samples. */
const WINDOW_HEADER_BYTES = SAMPLES;

/** `capacity` clamped to 1…MAX_DETECTOR_WINDOW (the registry rejects anything else first). */
export function windowCapacity(capacity: number): number {
  const whole = Number.isFinite(capacity) ? Math.floor(capacity) : 1;
  return Math.min(MAX_DETECTOR_WINDOW, Math.max(1, whole));
}

/** Bytes a window of `capacity` samples takes in a block. */
export function windowBytes(capacity: number): number {
  return WINDOW_HEADER_BYTES + 4 * capacity;
}

/** Empties the window at byte `w` (also how a new block is made a window). */
export function windowClear(slab: Slab, w: number): void {
  const d = w >> 3;
  const u = w >> 2;
  slab.f64[d] = 0;
  slab.f64[d + 1] = 0;
  slab.f32[u + CURSOR / 4] = 0;
  slab.f32[u + PUSHES / 4] = 0;
}

/** Samples held (at most `capacity`). */
export function windowCount(slab: Slab, w: number, capacity: number): number {
  const cursor = slab.f32[(w >> 2) + CURSOR / 4] as number;
  return cursor < capacity ? cursor : capacity;
}

/** Mean of the samples held; 0 when empty. */
export function windowMean(slab: Slab, w: number, capacity: number): number {
  const size = windowCount(slab, w, capacity);
  return size === 0 ? 0 : (slab.f64[(w + SUM) >> 3] as number) / size;
}

/** Population variance (Σx²/n − mean²), never negative; 0 when empty. */
export function windowVariance(slab: Slab, w: number, capacity: number): number {
  const size = windowCount(slab, w, capacity);
  if (size === 0) return 0;
  const mean = (slab.f64[(w + SUM) >> 3] as number) / size;
  const variance = (slab.f64[(w + SQUARES) >> 3] as number) / size - mean * mean;
  return variance > 0 ? variance : 0;
}

/** Population standard deviation; 0 when empty. */
export function windowStdDeviation(slab: Slab, w: number, capacity: number): number {
  return Math.sqrt(windowVariance(slab, w, capacity));
}

/** Adds a sample, evicting the oldest when full. Non-finite samples are ignored. */
export function windowPush(slab: Slab, w: number, capacity: number, value: number): void {
  if (!Number.isFinite(value)) return;
  const stored = Math.fround(Math.min(WINDOW_VALUE_LIMIT, Math.max(-WINDOW_VALUE_LIMIT, value)));
  const { f64, f32 } = slab;
  const d = w >> 3;
  const u = w >> 2;
  const samples = u + SAMPLES / 4;
  const cursor = f32[u + CURSOR / 4] as number;
  let total = f64[d] as number;
  let totalSquares = f64[d + 1] as number;
  let recompute = false;
  let head: number;
  if (cursor >= capacity) {
    head = cursor - capacity;
    const old = f32[samples + head] as number;
    const oldSquare = old * old;
    total -= old;
    totalSquares -= oldSquare;
    recompute = oldSquare > totalSquares;
  } else {
    head = cursor;
  }
  f32[samples + head] = stored;
  const next = head + 1 === capacity ? 0 : head + 1;
  // Full once the cursor has passed the last index: from then on it is capacity + head.
  f32[u + CURSOR / 4] = cursor >= capacity || next === 0 ? capacity + next : next;
  f64[d] = total + stored;
  f64[d + 1] = totalSquares + stored * stored;
  const pushes = (f32[u + PUSHES / 4] as number) + 1;
  if (recompute || pushes >= capacity) windowRecompute(slab, w, capacity);
  else f32[u + PUSHES / 4] = pushes;
}

/**
 * Subtracts `delta` from every sample (O(capacity)): re-expresses samples relative to a new
 * origin so they stay small and precise in float32.
 */
export function windowShift(slab: Slab, w: number, capacity: number, delta: number): void {
  if (!Number.isFinite(delta) || delta === 0) return;
  const f32 = slab.f32;
  const samples = (w >> 2) + SAMPLES / 4;
  const size = windowCount(slab, w, capacity);
  const start = windowStart(slab, w, capacity);
  for (let k = 0; k < size; k++) {
    const i = samples + indexFrom(start, capacity, k);
    const moved = (f32[i] as number) - delta;
    f32[i] = Math.min(WINDOW_VALUE_LIMIT, Math.max(-WINDOW_VALUE_LIMIT, moved));
  }
  windowRecompute(slab, w, capacity);
}

/** The samples held, oldest first (for tests and explanations; allocates). */
export function windowToArray(slab: Slab, w: number, capacity: number): number[] {
  const out: number[] = [];
  const samples = (w >> 2) + SAMPLES / 4;
  const size = windowCount(slab, w, capacity);
  const start = windowStart(slab, w, capacity);
  for (let k = 0; k < size; k++)
    out.push(slab.f32[samples + indexFrom(start, capacity, k)] as number);
  return out;
}

/** Storage index of the oldest sample. */
function windowStart(slab: Slab, w: number, capacity: number): number {
  const cursor = slab.f32[(w >> 2) + CURSOR / 4] as number;
  return cursor >= capacity ? cursor - capacity : 0;
}

/** Storage index of the k-th oldest sample, the oldest being at `start`. */
function indexFrom(start: number, capacity: number, k: number): number {
  const i = start + k;
  return i >= capacity ? i - capacity : i;
}

function windowRecompute(slab: Slab, w: number, capacity: number): void {
  let total = 0;
  let totalSquares = 0;
  const f32 = slab.f32;
  const samples = (w >> 2) + SAMPLES / 4;
  const size = windowCount(slab, w, capacity);
  const start = windowStart(slab, w, capacity);
  for (let k = 0; k < size; k++) {
    const v = f32[samples + indexFrom(start, capacity, k)] as number;
    total += v;
    totalSquares += v * v;
  }
  slab.f64[w >> 3] = total;
  slab.f64[(w >> 3) + 1] = totalSquares;
  slab.f32[(w >> 2) + PUSHES / 4] = 0;
}
