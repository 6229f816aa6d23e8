/**
 * The compliance suite every failure detector passes: the contract written on `FailureDetector`
 * (src/detectors/detector.ts), checked with fast-check over random arrival sequences. Call
 * `detectorCompliance(name, factory)` inside a test file; all.test.ts runs it for every kind in
 * the registry, so a newly registered detector is covered without further work.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DETECTOR_WINDOW } from '../../src/core/limits.js';
import type { DetectorContext, FailureDetector } from '../../src/detectors/detector.js';

export type DetectorFactory = (context: DetectorContext) => FailureDetector;

/** One arrival: a gap after the previous one (may be negative or zero) and an optional seq. */
interface Step {
  gapMs: number;
  seq: number | undefined;
}

const RUNS = 60;

/** A sender interval between 1 ms and 1 min. */
const intervalArb = fc.double({ min: 1, max: 60_000, noNaN: true });

/** Gaps that a real link produces: around the interval, with jitter, losses and bursts. */
function realisticStep(intervalMs: number): fc.Arbitrary<Step> {
  return fc.record({
    gapMs: fc
      .oneof(
        { weight: 6, arbitrary: fc.double({ min: 0.5, max: 1.5, noNaN: true }) },
        { weight: 1, arbitrary: fc.integer({ min: 2, max: 6 }) },
        { weight: 1, arbitrary: fc.constant(0) },
      )
      .map((f) => f * intervalMs),
    seq: fc.constant(undefined),
  });
}

/** Anything at all: equal, backwards and huge gaps, odd and repeated sequence numbers. */
const hostileStep: fc.Arbitrary<Step> = fc.record({
  gapMs: fc.oneof(
    fc.constant(0),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.double({ min: 1e6, max: 1e12, noNaN: true }),
    fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e-9),
  ),
  seq: fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: -5, max: 50 }),
    fc.constantFrom(0, 1, 2 ** 53, -(2 ** 53), Number.NaN, 1.5, Infinity, 1e300),
  ),
});

/**
 * Feeds `steps` from `startMs`, with sequence numbers counting up from `startSeq` unless the step
 * gives one.
 */
function feed(detector: FailureDetector, steps: Step[], startMs = 1_000_000, startSeq = 0): number {
  let nowMs = startMs;
  let seq = startSeq;
  for (const step of steps) {
    const next = nowMs + step.gapMs;
    detector.heartbeat(next, step.seq ?? seq);
    if (Number.isFinite(next)) nowMs = next;
    seq++;
  }
  return nowMs;
}

/** A time a little away from `t` that is still distinguishable from it. */
function nudge(t: number): number {
  return Math.max(1e-6, Math.abs(t) * 1e-12);
}

function expectNumber(x: number, what: string): void {
  expect(Number.isNaN(x), `${what} is NaN`).toBe(false);
}

/**
 * Checks the verdict contract at a finite time `t` (monitors only ask about finite times):
 * suspects ⇔ t ≥ suspectAt ⇔ suspicion ≥ threshold.
 */
function checkVerdictAt(detector: FailureDetector, t: number): void {
  const at = detector.suspectAtMs();
  const suspects = detector.suspects(t);
  const level = detector.suspicion(t);
  expectNumber(level, `suspicion(${t})`);
  expect(level).toBeGreaterThanOrEqual(0);
  expect(suspects, `suspects(${t}) with suspectAt ${at}`).toBe(t >= at);
  expect(level >= detector.threshold, `suspicion(${t}) = ${level} vs threshold`).toBe(suspects);
}

export function detectorCompliance(name: string, factory: DetectorFactory): void {
  describe(`${name}: FailureDetector compliance`, () => {
    it('has no evidence before the first arrival', () => {
      fc.assert(
        fc.property(
          intervalArb,
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          (intervalMs, t) => {
            const detector = factory({ intervalMs });
            expect(detector.suspicion(t)).toBe(0);
            expect(detector.suspects(t)).toBe(false);
            expect(detector.suspectAtMs()).toBe(Infinity);
            const explanation = detector.explain(t);
            expect(explanation.lastArrivalMs).toBeNull();
            expect(explanation.elapsedMs).toBeNull();
            expect(explanation.suspects).toBe(false);
            expect(explanation.suspectAtMs).toBe(Infinity);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('suspects(t) ⇔ t ≥ suspectAtMs() ⇔ suspicion(t) ≥ threshold, at the edge and anywhere', () => {
      fc.assert(
        fc.property(
          intervalArb.chain((intervalMs) =>
            fc.tuple(
              fc.constant(intervalMs),
              fc.array(realisticStep(intervalMs), { minLength: 1, maxLength: 120 }),
              fc.array(fc.double({ min: -10, max: 60, noNaN: true }), { maxLength: 20 }),
            ),
          ),
          ([intervalMs, steps, offsets]) => {
            const detector = factory({ intervalMs });
            const lastMs = feed(detector, steps);
            const at = detector.suspectAtMs();
            expectNumber(at, 'suspectAtMs');
            expect(at).toBeGreaterThan(-Infinity);
            if (Number.isFinite(at)) {
              checkVerdictAt(detector, at);
              checkVerdictAt(detector, at - nudge(at));
              checkVerdictAt(detector, at + nudge(at));
            }
            for (const k of offsets) checkVerdictAt(detector, lastMs + k * intervalMs);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('never lowers suspicion while silence grows', () => {
      fc.assert(
        fc.property(
          intervalArb.chain((intervalMs) =>
            fc.tuple(
              fc.constant(intervalMs),
              fc.array(realisticStep(intervalMs), { minLength: 1, maxLength: 120 }),
              fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), {
                minLength: 2,
                maxLength: 40,
              }),
            ),
          ),
          ([intervalMs, steps, offsets]) => {
            const detector = factory({ intervalMs });
            const lastMs = feed(detector, steps);
            const times = offsets.map((k) => lastMs + k * intervalMs).sort((a, b) => a - b);
            times.push(detector.suspectAtMs());
            times.sort((a, b) => a - b);
            let previous = -Infinity;
            for (const t of times) {
              if (!Number.isFinite(t)) continue;
              const level = detector.suspicion(t);
              expect(level, `suspicion fell at ${t}`).toBeGreaterThanOrEqual(previous);
              previous = level;
            }
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('is not suspecting right after an arrival on a steady link, also after an outage', () => {
      fc.assert(
        fc.property(
          intervalArb,
          fc.double({ min: 0, max: 0.2, noNaN: true }),
          fc.integer({ min: 100, max: 10_000 }),
          fc.boolean(),
          fc.integer({ min: 1, max: 2 ** 31 }),
          (intervalMs, jitter, outageIntervals, withSeq, seed) => {
            const detector = factory({ intervalMs });
            let random = seed;
            const noise = () => {
              random = (Math.imul(random, 1103515245) + 12345) >>> 0;
              return ((random / 2 ** 32) * 2 - 1) * jitter * intervalMs;
            };
            let sendMs = 5_000_000;
            let seq = 0;
            const beat = () => {
              sendMs += intervalMs;
              seq++;
              const arriveMs = sendMs + Math.abs(noise());
              detector.heartbeat(arriveMs, withSeq ? seq : undefined);
              return arriveMs;
            };
            for (let i = 0; i < 200; i++) {
              const arriveMs = beat();
              expect(detector.suspects(arriveMs), `suspected at steady arrival ${i}`).toBe(false);
            }
            // The sender goes quiet (its seq keeps counting, as a live sender behind a partition).
            const silentFrom = sendMs;
            sendMs += outageIntervals * intervalMs;
            seq += outageIntervals;
            expect(detector.suspects(sendMs), 'suspected after a long outage').toBe(true);
            expect(detector.suspectAtMs()).toBeGreaterThan(silentFrom);
            // Steady again: once the window has turned over, arrivals are trusted again.
            for (let i = 0; i < MAX_DETECTOR_WINDOW + 50; i++) {
              const arriveMs = beat();
              if (i >= MAX_DETECTOR_WINDOW) {
                expect(detector.suspects(arriveMs), `suspected at arrival ${i} after outage`).toBe(
                  false,
                );
              }
            }
          },
        ),
        { numRuns: 15 },
      );
    });

    it('survives hostile input: no throw, no NaN, bounded memory, contract still holds', () => {
      fc.assert(
        fc.property(
          intervalArb,
          fc.array(hostileStep, { minLength: 1, maxLength: 200 }),
          fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 10 }),
          (intervalMs, steps, probes) => {
            const detector = factory({ intervalMs });
            const lastMs = feed(detector, steps);
            const at = detector.suspectAtMs();
            expectNumber(at, 'suspectAtMs');
            expect(detector.suspicion(Number.NaN)).toBe(0);
            for (const t of [lastMs, lastMs + intervalMs, at, ...probes]) {
              if (!Number.isFinite(t)) continue;
              checkVerdictAt(detector, t);
              const explanation = detector.explain(t);
              expectNumber(explanation.suspicion, 'explain().suspicion');
              expectNumber(explanation.suspectAtMs, 'explain().suspectAtMs');
              expectNumber(explanation.elapsedMs ?? 0, 'explain().elapsedMs');
              for (const [key, value] of Object.entries(explanation.details)) {
                expectNumber(value, `explain().details.${key}`);
              }
            }
          },
        ),
        { numRuns: RUNS * 2 },
      );
    });

    it('holds equal timestamps, zero variance and duplicates without NaN', () => {
      for (const intervalMs of [1, 1000]) {
        const same = factory({ intervalMs });
        for (let i = 0; i < 3 * MAX_DETECTOR_WINDOW; i++) same.heartbeat(42, 7);
        checkVerdictAt(same, 42);
        checkVerdictAt(same, same.suspectAtMs());
        expect(Number.isFinite(same.suspectAtMs())).toBe(true);

        const exact = factory({ intervalMs });
        for (let i = 0; i < 3 * MAX_DETECTOR_WINDOW; i++) exact.heartbeat(i * intervalMs, i);
        const lastMs = (3 * MAX_DETECTOR_WINDOW - 1) * intervalMs;
        expect(exact.suspects(lastMs)).toBe(false);
        expect(exact.suspectAtMs()).toBeGreaterThan(lastMs);
        expect(Number.isFinite(exact.suspectAtMs())).toBe(true);
        checkVerdictAt(exact, exact.suspectAtMs());
      }
    });

    it('reports bounded memory that does not grow with arrivals', () => {
      const detector = factory({ intervalMs: 100 });
      detector.heartbeat(0, 0);
      const early = detector.memoryBytes();
      for (let i = 1; i <= 5 * MAX_DETECTOR_WINDOW; i++) detector.heartbeat(i * 100, i);
      const late = detector.memoryBytes();
      expect(late).toBe(early);
      expect(late).toBeGreaterThan(0);
      // Any windowed detector stays below 64 bytes a sample at the largest window.
      expect(late).toBeLessThanOrEqual(1024 + 64 * MAX_DETECTOR_WINDOW);
    });

    it('clones: the copy goes on as the original would, and each is independent of the other', () => {
      fc.assert(
        fc.property(
          intervalArb.chain((intervalMs) =>
            fc.tuple(
              fc.constant(intervalMs),
              fc.array(fc.oneof(realisticStep(intervalMs), hostileStep), { maxLength: 80 }),
              fc.array(realisticStep(intervalMs), { minLength: 1, maxLength: 40 }),
            ),
          ),
          ([intervalMs, before, after]) => {
            const original = factory({ intervalMs });
            const lastMs = feed(original, before);
            expect(original.clone, 'a detector of the registry has clone()').toBeDefined();
            const clone = (d: FailureDetector): FailureDetector =>
              (d.clone as () => FailureDetector)();
            const copy = clone(original);
            expect(copy.kind).toBe(original.kind);
            expect(copy.suspectAtMs()).toBe(original.suspectAtMs());
            expect(copy.explain(lastMs)).toEqual(original.explain(lastMs));
            expect(copy.memoryBytes()).toBe(original.memoryBytes());
            const twin = clone(original);
            // The copy alone sees more arrivals: the original stays as a detector fed `before`.
            const endMs = feed(copy, after, lastMs, before.length);
            const reference = factory({ intervalMs });
            feed(reference, before);
            expect(original.suspectAtMs()).toBe(reference.suspectAtMs());
            expect(original.explain(endMs)).toEqual(reference.explain(endMs));
            // Given the same arrivals, the original goes as the copy went, step for step with a
            // second copy, and ends where the first one did.
            let t = lastMs;
            after.forEach((step, i) => {
              t += step.gapMs;
              const seq = step.seq ?? before.length + i;
              original.heartbeat(t, seq);
              twin.heartbeat(t, seq);
              expect(twin.suspectAtMs()).toBe(original.suspectAtMs());
              expect(twin.suspicion(t + intervalMs)).toBe(original.suspicion(t + intervalMs));
            });
            expect(original.explain(endMs + intervalMs)).toEqual(copy.explain(endMs + intervalMs));
            expect(original.recentIntervals?.(8)).toEqual(copy.recentIntervals?.(8));
            // A copy gives back its own storage: the original goes on unharmed.
            twin.dispose?.();
            copy.dispose?.();
            reference.dispose?.();
            original.heartbeat(endMs + intervalMs);
            checkVerdictAt(original, endMs + intervalMs);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('ignores arrivals earlier than the last one', () => {
      fc.assert(
        fc.property(
          intervalArb,
          fc.array(realisticStep(1), { minLength: 1, maxLength: 50 }),
          fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
          (intervalMs, steps, backMs) => {
            const detector = factory({ intervalMs });
            const lastMs = feed(
              detector,
              steps.map((s) => ({ ...s, gapMs: s.gapMs * intervalMs })),
            );
            const before = detector.suspectAtMs();
            detector.heartbeat(lastMs - backMs);
            expect(detector.suspectAtMs()).toBe(before);
            expect(detector.explain(lastMs).lastArrivalMs).toBe(lastMs);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
}
