import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { FixedTimeoutDetector } from '../../src/detectors/fixed-timeout.js';
import { DETECTOR_KINDS, createDetector } from '../../src/detectors/registry.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { SuspicionTracker } from '../../src/sim/suspicion-tracker.js';
import { evaluateDetector, evaluateMany, randomCrashTimes } from '../../src/sim/qos.js';
import type { ArrivalTrace } from '../../src/sim/traces/arrival-trace.js';

/**
 * The worked example of docs/QOS.md: six heartbeats every 1000 ms, heartbeat 3 late by 900 ms,
 * heartbeat 4 lost, a fixed timeout of 1200 ms.
 */
const example: ArrivalTrace = {
  name: 'example',
  intervalMs: 1000,
  arrivals: [
    { seq: 1, sentMs: 0, recvMs: 100 },
    { seq: 2, sentMs: 1000, recvMs: 1100 },
    { seq: 3, sentMs: 2000, recvMs: 2900 },
    { seq: 4, sentMs: 3000, recvMs: null },
    { seq: 5, sentMs: 4000, recvMs: 4150 },
    { seq: 6, sentMs: 5000, recvMs: 5200 },
  ],
};

describe('evaluateDetector', () => {
  it('matches the hand-checked example of docs/QOS.md', () => {
    const r = evaluateDetector(example, { kind: 'timeout', timeoutMs: 1200 });
    // Detection: crash after k at sentMs(k); permanent suspicion = last arrival ≤ k + 1200.
    // k=1: 1300−0, k=2: 2300−1000, k=3: 4100−2000, k=4: 4100−3000, k=5: 5350−4000, k=6: 6400−5000
    expect(r.crashes).toBe(6);
    expect(r.undetected).toBe(0);
    expect(r.detectionMeanMs).toBe((1300 + 1300 + 2100 + 1100 + 1350 + 1400) / 6);
    expect(r.detectionMeanMs).toBe(1425);
    expect(r.detectionP99Ms).toBe(2100);
    expect(r.detectionMaxMs).toBe(2100);
    expect(r.detectionMeanIntervals).toBe(1.425);
    expect(r.detectionMaxIntervals).toBe(2.1);
    // Mistakes: suspected [2300, 2900) before late heartbeat 3, and [4100, 4150) while 4 was lost.
    expect(r.observedMs).toBe(5100);
    expect(r.mistakes).toBe(2);
    expect(r.mistakeDurationMs).toBe(325);
    expect(r.suspectedMs).toBe(650);
    expect(r.mistakeRecurrenceMs).toBe(2550);
    expect(r.mistakesPerHour).toBe((2 * 3_600_000) / 5100);
    expect(r.queryAccuracy).toBe(1 - 650 / 5100);
    expect(r).toMatchObject({ trace: 'example', intervalMs: 1000, heartbeats: 6, lost: 1 });
  });

  it('crashes at given times count from the crash, after the last heartbeat sent before it', () => {
    const r = evaluateDetector(
      example,
      { kind: 'timeout', timeoutMs: 1200 },
      // 2500: last sent is 3 (suspected from 4100); 3500: 4 was sent but lost, so the same 4100;
      // −5: before the first send, skipped.
      { crashAtMs: [2500, 3500, -5] },
    );
    expect(r.crashes).toBe(2);
    expect(r.detectionMeanMs).toBe((1600 + 600) / 2);
    expect(r.detectionMaxMs).toBe(1600);
    const times = randomCrashTimes(example, 100, 3);
    expect(times).toEqual(randomCrashTimes(example, 100, 3));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...times)).toBeLessThanOrEqual(5000);
    const random = evaluateDetector(
      example,
      { kind: 'timeout', timeoutMs: 1200 },
      { crashAtMs: times },
    );
    expect(random.crashes).toBe(100);
    // A crash between heartbeats is detected sooner, on average, than one right after a heartbeat.
    expect(random.detectionMeanMs).toBeLessThan(1425);
  });

  it('a heartbeat arriving exactly at the deadline is not a mistake', () => {
    const r = evaluateDetector(example, { kind: 'timeout', timeoutMs: 1250 });
    // [2350, 2900) is a mistake; heartbeat 5 arrives at 4150 = 2900 + 1250: none.
    expect(r.mistakes).toBe(1);
    expect(r.suspectedMs).toBe(550);
  });

  it('replays a crash run in full when a reordered heartbeat belongs only to it', () => {
    const reordered: ArrivalTrace = {
      name: 'reordered',
      intervalMs: 1000,
      arrivals: [
        { seq: 1, sentMs: 0, recvMs: 10 },
        { seq: 2, sentMs: 1000, recvMs: 2500 }, // overtaken by 3: ignored without a crash
        { seq: 3, sentMs: 2000, recvMs: 2010 },
        { seq: 4, sentMs: 3000, recvMs: 3010 },
      ],
    };
    const r = evaluateDetector(
      reordered,
      { kind: 'timeout', timeoutMs: 1500 },
      { crashAfter: [2] },
    );
    // Crashed after 2, heartbeat 3 never exists, so 2 is heard at 2500: suspected from 4000.
    expect(r.crashes).toBe(1);
    expect(r.detectionMeanMs).toBe(3000);
    const all = evaluateDetector(reordered, { kind: 'timeout', timeoutMs: 1500 });
    expect(all.detectionMaxMs).toBe(3000);
    expect(all.detectionMeanMs).toBe((1510 + 3000 + 1510 + 1510) / 4);
  });

  it('skips crashes before anything arrived and counts detectors that never suspect', () => {
    const late: ArrivalTrace = {
      name: 'late',
      intervalMs: 1000,
      arrivals: [
        { seq: 1, sentMs: 0, recvMs: null },
        { seq: 2, sentMs: 1000, recvMs: 1010 },
      ],
    };
    const r = evaluateDetector(late, { kind: 'timeout' });
    expect(r.crashes).toBe(1);
    const never = evaluateDetector(
      late,
      { kind: 'timeout' },
      {
        create: (_spec, context) => {
          const d = new FixedTimeoutDetector({}, context);
          return Object.assign(Object.create(d) as FixedTimeoutDetector, {
            suspectAtMs: () => Infinity,
          });
        },
      },
    );
    expect(never.undetected).toBe(1);
    expect(never.detectionMeanMs).toBe(Infinity);
    expect(never.mistakes).toBe(0);
    expect(never.mistakeRecurrenceMs).toBe(Infinity);
    expect(never.mistakeDurationMs).toBeNaN();
  });

  it('evaluateMany gives the same numbers as one call per spec', () => {
    const specs = [
      { kind: 'timeout', timeoutMs: 1200 },
      { kind: 'timeout', timeoutMs: 900 },
      { kind: 'missed-beats' },
      { kind: 'phi-accrual' },
    ] as const;
    expect(evaluateMany(example, specs)).toEqual(specs.map((s) => evaluateDetector(example, s)));
  });

  it('agrees with a millisecond-by-millisecond evaluation on random traces (fixed timeout)', () => {
    const traceArb = fc
      .array(fc.record({ delay: fc.integer({ min: 0, max: 2500 }), lost: fc.boolean() }), {
        minLength: 2,
        maxLength: 12,
      })
      .map((hs): ArrivalTrace => ({
        name: 'random',
        intervalMs: 500,
        arrivals: hs.map((h, i) => ({
          seq: i + 1,
          sentMs: i * 500,
          recvMs: h.lost && i > 0 ? null : i * 500 + h.delay,
        })),
      }));
    fc.assert(
      fc.property(traceArb, fc.integer({ min: 100, max: 2000 }), (trace, timeoutMs) => {
        const fast = evaluateDetector(trace, { kind: 'timeout', timeoutMs });
        const slow = bruteForce(trace, timeoutMs);
        expect(fast.mistakes).toBe(slow.mistakes);
        expect(fast.suspectedMs).toBe(slow.suspectedMs);
        expect(fast.detectionMeanMs).toBeCloseTo(slow.detectionMeanMs, 9);
        expect(fast.detectionMaxMs).toBe(slow.detectionMaxMs);
      }),
      { numRuns: 150 },
    );
  });
});

describe('crash runs of reordered traces', () => {
  it.each(DETECTOR_KINDS)(
    '%s: branching off the failure-free run equals replaying each crash run',
    (kind) => {
      const traceArb = fc
        .array(fc.record({ delay: fc.integer({ min: 0, max: 3000 }), lost: fc.boolean() }), {
          minLength: 2,
          maxLength: 25,
        })
        .map((hs): ArrivalTrace => ({
          name: 'random',
          intervalMs: 500,
          arrivals: hs.map((h, i) => ({
            seq: i + 1,
            sentMs: i * 500,
            recvMs: h.lost && i > 0 ? null : i * 500 + h.delay,
          })),
        }));
      fc.assert(
        fc.property(traceArb, (trace) => {
          const spec = { kind } as DetectorSpec;
          const fast = evaluateDetector(trace, spec);
          const slow: number[] = [];
          for (const crash of trace.arrivals) {
            const run = trace.arrivals
              .filter((a) => a.recvMs !== null && a.seq <= crash.seq)
              .sort((a, b) => (a.recvMs as number) - (b.recvMs as number) || a.seq - b.seq);
            if (run.length === 0) continue;
            const tracker = new SuspicionTracker(createDetector(spec, { intervalMs: 500 }));
            let newest = -1;
            for (const a of run) {
              if (a.seq <= newest) continue;
              newest = a.seq;
              tracker.arrive(a.recvMs as number, a.seq);
            }
            slow.push(Math.max(0, tracker.permanentSuspicionMs() - crash.sentMs));
          }
          expect(fast.crashes).toBe(slow.length);
          expect(fast.detectionMaxMs).toBe(Math.max(...slow));
          expect(fast.detectionMeanMs).toBeCloseTo(
            slow.reduce((a, b) => a + b, 0) / slow.length,
            6,
          );
        }),
        { numRuns: 60 },
      );
    },
  );
});

describe('SuspicionTracker.fork', () => {
  it('copies the detector with its clone(), and refuses a detector without one', () => {
    const tracker = new SuspicionTracker(createDetector({ kind: 'chen' }, { intervalMs: 100 }));
    for (let i = 1; i <= 10; i++) tracker.arrive(i * 100, i);
    const fork = tracker.fork();
    fork.arrive(1100, 11);
    expect(fork.suspectAtMs).toBeGreaterThan(tracker.suspectAtMs);
    expect(tracker.lastMs).toBe(1000);
    // A detector outside the registry that cannot be copied.
    const noClone = Object.assign(new FixedTimeoutDetector({}, { intervalMs: 100 }), {
      clone: undefined,
    });
    expect(() => new SuspicionTracker(noClone).fork()).toThrow(ConfigError);
  });
});

/**
 * The definitions applied literally, one millisecond at a time: arrivals at t are processed
 * before the verdict at t is read; a crash run keeps every heartbeat ≤ k, in arrival order,
 * ignoring ones older than the newest heard.
 */
function bruteForce(trace: ArrivalTrace, timeoutMs: number) {
  const received = trace.arrivals
    .filter((a) => a.recvMs !== null)
    .sort((a, b) => (a.recvMs as number) - (b.recvMs as number) || a.seq - b.seq);
  const run = (maxSeq: number, fromMs: number, toMs: number) => {
    const d = new FixedTimeoutDetector({ timeoutMs }, { intervalMs: trace.intervalMs });
    const verdicts: boolean[] = [];
    let next = 0;
    let newest = -1;
    for (let t = fromMs; t < toMs; t++) {
      while (next < received.length && (received[next]?.recvMs as number) <= t) {
        const a = received[next++] as { seq: number; recvMs: number };
        if (a.seq <= maxSeq && a.seq > newest) {
          newest = a.seq;
          d.heartbeat(a.recvMs);
        }
      }
      verdicts.push(d.suspects(t));
    }
    return verdicts;
  };
  const first = received[0]?.recvMs as number;
  let last = first;
  let newest = -1;
  for (const a of received) {
    if (a.seq > newest) {
      newest = a.seq;
      last = a.recvMs as number;
    }
  }
  const v = run(Infinity, first, last);
  let mistakes = 0;
  let suspectedMs = 0;
  v.forEach((s, i) => {
    if (s) suspectedMs++;
    if (i > 0 && v[i - 1] === true && !s) mistakes++;
  });
  if (v.length > 0 && v[v.length - 1] === true) mistakes++; // corrected by the last arrival at `last`
  const horizon = (trace.arrivals.at(-1)?.sentMs ?? 0) + 10_000;
  const detections: number[] = [];
  for (const a of trace.arrivals) {
    if (!received.some((r) => r.seq <= a.seq)) continue;
    const w = run(a.seq, 0, horizon);
    let start = w.length;
    while (start > 0 && w[start - 1] === true) start--;
    detections.push(Math.max(0, start - a.sentMs));
  }
  return {
    mistakes,
    suspectedMs,
    detectionMeanMs: detections.reduce((x, y) => x + y, 0) / detections.length,
    detectionMaxMs: Math.max(...detections),
  };
}
