import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DETECTOR_KINDS, createDetector } from '../../src/detectors/registry.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { cloneState } from '../../src/sim/clone-state.js';

describe('cloneState', () => {
  it.each(DETECTOR_KINDS)(
    'copies a %s detector: both go on identically and independently',
    (kind) => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 60 }),
          fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 30 }),
          (before, after) => {
            const d = createDetector({ kind } as DetectorSpec, { intervalMs: 1000 });
            let t = 0;
            let seq = 0;
            for (const gap of before) d.heartbeat((t += gap), ++seq);
            const copy = cloneState(d);
            expect(copy.suspectAtMs()).toBe(d.suspectAtMs());
            const t0 = t;
            const s0 = seq;
            for (const gap of after) {
              copy.heartbeat((t += gap), ++seq);
            }
            const copyVerdict = copy.suspectAtMs();
            // The original did not see the copy's arrivals…
            const fresh = createDetector({ kind } as DetectorSpec, { intervalMs: 1000 });
            let u = 0;
            let q = 0;
            for (const gap of before) fresh.heartbeat((u += gap), ++q);
            expect(d.suspectAtMs()).toBe(fresh.suspectAtMs());
            // …and given them, it ends where the copy did.
            t = t0;
            seq = s0;
            for (const gap of after) d.heartbeat((t += gap), ++seq);
            expect(d.suspectAtMs()).toBe(copyVerdict);
            expect(d.explain(t + 500)).toEqual(copy.explain(t + 500));
          },
        ),
        { numRuns: 50 },
      );
    },
  );

  it('keeps prototypes, typed arrays, maps and shared references', () => {
    class Box {
      constructor(public values: Float64Array) {}
      sum(): number {
        return this.values.reduce((a, b) => a + b, 0);
      }
    }
    const shared = new Box(Float64Array.of(1, 2));
    const original = { a: shared, b: shared, m: new Map([[1, [shared]]]), s: new Set([3]) };
    const copy = cloneState(original);
    expect(copy.a).toBeInstanceOf(Box);
    expect(copy.a.sum()).toBe(3);
    expect(copy.a).toBe(copy.b);
    expect(copy.m.get(1)?.[0]).toBe(copy.a);
    copy.a.values[0] = 10;
    expect(shared.values[0]).toBe(1);
    expect(copy.s).toEqual(new Set([3]));
  });
});
