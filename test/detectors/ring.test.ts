import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DETECTOR_WINDOW } from '../../src/core/limits.js';
import {
  newSlab,
  windowBytes,
  windowCapacity,
  windowClear,
  windowCount,
  windowMean,
  windowPush,
  windowShift,
  windowStdDeviation,
  windowToArray,
  windowVariance,
} from '../../src/detectors/slab-window.js';
import { Ring } from './ring-oracle.js';

function stats(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + b * b, 0) / values.length - mean * mean;
  return { mean, variance: Math.max(0, variance) };
}

describe('Ring', () => {
  it('keeps the last capacity samples, oldest first, with their mean and variance', () => {
    const ring = new Ring(3);
    expect(ring.mean).toBe(0);
    expect(ring.variance).toBe(0);
    for (const v of [1, 2, 3, 4, 5]) ring.push(v);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.count).toBe(3);
    expect(ring.mean).toBe(4);
    expect(ring.variance).toBeCloseTo(2 / 3, 12);
    expect(ring.latest()).toBe(5);
  });

  it('matches a recomputation from the window for any sequence of pushes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 400 }),
        (capacity, values) => {
          const ring = new Ring(capacity);
          for (const v of values) ring.push(v);
          const kept = values.slice(-capacity).map((v) => Math.fround(v));
          expect(ring.toArray()).toEqual(kept);
          if (kept.length === 0) return;
          const expected = stats(kept);
          const scale = Math.max(1, ...kept.map((v) => v * v));
          expect(Math.abs(ring.mean - expected.mean)).toBeLessThanOrEqual(1e-9 * Math.sqrt(scale));
          expect(Math.abs(ring.variance - expected.variance)).toBeLessThanOrEqual(1e-9 * scale);
        },
      ),
    );
  });

  it('recovers precision when a dominant value leaves the window', () => {
    const ring = new Ring(4);
    ring.push(1e15);
    for (let i = 0; i < 4; i++) ring.push(1000 + i);
    expect(ring.mean).toBe(1001.5);
    expect(ring.variance).toBeCloseTo(1.25, 9);
  });

  it('shifts every sample, ignores non-finite ones, clears, and clamps capacity', () => {
    const ring = new Ring(4);
    ring.push(10);
    ring.push(Number.NaN);
    ring.push(Infinity);
    ring.push(20);
    ring.shift(5);
    expect(ring.toArray()).toEqual([5, 15]);
    ring.clear();
    expect(ring.count).toBe(0);
    expect(new Ring(0).capacity).toBe(1);
    expect(new Ring(1e9).capacity).toBe(MAX_DETECTOR_WINDOW);
    expect(new Ring(32).memoryBytes()).toBeLessThan(new Ring(64).memoryBytes());
  });
});

describe('a window in a block of a slab', () => {
  it('gives bit for bit what a Ring gives, for any pushes, shifts and clears', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(
          fc.oneof(
            { weight: 8, arbitrary: fc.double({ min: -1e4, max: 1e4 }) },
            { weight: 2, arbitrary: fc.constantFrom(1e15, -1e15, Infinity, Number.NaN, 0, -0) },
            { weight: 1, arbitrary: fc.constant('shift' as const) },
            { weight: 1, arbitrary: fc.constant('clear' as const) },
          ),
          { maxLength: 300 },
        ),
        (requested, steps) => {
          const ring = new Ring(requested);
          const capacity = windowCapacity(requested);
          expect(capacity).toBe(ring.capacity);
          // The window sits in the middle of a larger buffer whose other bytes must stay put.
          const w = 16;
          const view = newSlab(Math.ceil((w + windowBytes(capacity) + 16) / 8) * 8);
          const bytes = new Uint8Array(view.f64.buffer);
          bytes.fill(0xa5);
          windowClear(view, w);
          for (const step of steps) {
            if (step === 'shift') {
              const delta = ring.latest();
              ring.shift(delta);
              windowShift(view, w, capacity, delta);
            } else if (step === 'clear') {
              ring.clear();
              windowClear(view, w);
            } else {
              ring.push(step);
              windowPush(view, w, capacity, step);
            }
            expect(windowCount(view, w, capacity)).toBe(ring.count);
            expect(windowMean(view, w, capacity)).toBe(ring.mean);
            expect(windowVariance(view, w, capacity)).toBe(ring.variance);
            expect(windowStdDeviation(view, w, capacity)).toBe(ring.stdDeviation);
            expect(windowToArray(view, w, capacity).at(-1) ?? 0).toBe(ring.latest());
          }
          expect(windowToArray(view, w, capacity)).toEqual(ring.toArray());
          for (let i = 0; i < w; i++) expect(bytes[i]).toBe(0xa5);
          for (let i = w + windowBytes(capacity); i < bytes.length; i++) {
            expect(bytes[i]).toBe(0xa5);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('recovers precision when a dominant value leaves the window, as a Ring does', () => {
    const view = newSlab(windowBytes(4));
    windowClear(view, 0);
    for (const v of [1e15, 1000.5, 1001.25, 1002, 1003.75]) windowPush(view, 0, 4, v);
    expect(windowToArray(view, 0, 4)).toEqual([1000.5, 1001.25, 1002, 1003.75]);
    expect(windowMean(view, 0, 4)).toBe(1001.875);
    expect(windowVariance(view, 0, 4)).toBe(1.453125);
  });
});
