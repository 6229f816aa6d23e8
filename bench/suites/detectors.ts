/**
 * Detector cost: ns per arrival + suspicion query, per `suspectAtMs()` read, and bytes per node
 * (the `memoryBytes()` model and the V8 heap actually used), for every kind in the registry with
 * its defaults and a 1 s sender. The baseline is the fixed-timeout detector measured in the same
 * run: a ratio of 3 means three times its cost. Bytes are measured twice: detectors that own their
 * storage (no pool, as the simulator makes them) and detectors drawing from a `SamplePool` (as the
 * node table makes them).
 */
import v8 from 'node:v8';
import { SeededRng } from '../../src/core/rng.js';
import type { DetectorKind, FailureDetector } from '../../src/detectors/detector.js';
import { createDetector, DETECTOR_KINDS } from '../../src/detectors/registry.js';
import { SamplePool } from '../../src/detectors/sample-pool.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { fmt, median, nsPerOp, table, type BenchSuite } from '../harness.js';

const ITERATIONS = 1_000_000;
const RUNS = 5;
const INTERVAL_MS = 1000;
/** Detectors allocated at once to measure heap bytes per node. */
const MEMORY_NODES = 20_000;
/** Arrivals fed to each of them first, so windows are full as in a long-running monitor. */
const MEMORY_ARRIVALS = 100;
/**
 * Slab size of the pool in the pooled measurement: 64 KiB, so that the unused tail of the last
 * slab is under 4 bytes per detector at 20,000 detectors (with the default 1 MiB it would be up
 * to 52; at a million nodes it is under 1 either way).
 */
const MEMORY_SLAB_BYTES = 64 * 1024;

/** Arrival jitter, ±10 % of the interval, from a fixed seed. */
const jitter = (() => {
  const rng = new SeededRng(7);
  return Float64Array.from({ length: 4096 }, () => (rng.next() - 0.5) * 0.2 * INTERVAL_MS);
})();

const make = (kind: DetectorKind, samplePool?: SamplePool): FailureDetector =>
  createDetector(
    { kind } as DetectorSpec,
    samplePool === undefined
      ? { intervalMs: INTERVAL_MS }
      : { intervalMs: INTERVAL_MS, samplePool },
  );

let sink = 0;

/** ns for one heartbeat plus one suspicion query half an interval later. */
function arrivalAndSuspicion(kind: DetectorKind): number {
  return median(RUNS, () => {
    const detector = make(kind);
    return nsPerOp((i) => {
      const t = i * INTERVAL_MS + (jitter[i & 4095] as number);
      detector.heartbeat(t, i);
      sink += detector.suspicion(t + INTERVAL_MS / 2);
    }, ITERATIONS);
  });
}

/** ns for one `suspectAtMs()` read (what the node table does after every arrival). */
function verdictRead(kind: DetectorKind): number {
  const detector = make(kind);
  for (let i = 0; i < 200; i++) detector.heartbeat(i * INTERVAL_MS + (jitter[i] as number), i);
  return median(RUNS, () => nsPerOp(() => (sink += detector.suspectAtMs()), ITERATIONS));
}

function heapBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const stats = v8.getHeapStatistics();
  return stats.used_heap_size + stats.external_memory;
}

/**
 * Heap bytes per detector with full windows, and its own `memoryBytes()` figure; with `pooled`,
 * the detectors draw from one pool made inside the measurement (its slabs are counted).
 */
function memory(kind: DetectorKind, pooled: boolean): { measured: number; model: number } {
  const before = heapBytes();
  const pool = pooled ? new SamplePool({ slabBytes: MEMORY_SLAB_BYTES }) : undefined;
  const detectors: FailureDetector[] = [];
  for (let n = 0; n < MEMORY_NODES; n++) {
    const detector = make(kind, pool);
    for (let i = 0; i < MEMORY_ARRIVALS; i++) {
      detector.heartbeat(i * INTERVAL_MS + (jitter[(n + i) & 4095] as number), i);
    }
    detectors.push(detector);
  }
  const after = heapBytes();
  const model = detectors[0]?.memoryBytes() ?? 0;
  // The array holding them costs 8 bytes a slot; that belongs to the node table, not the detector.
  const measured = (after - before) / detectors.length - 8;
  void pool?.liveBlocks; // the pool stays alive until after the measurement
  return { measured, model };
}

const suite: BenchSuite = {
  name: 'detectors',
  title: 'Failure detectors: cost per arrival and bytes per node',
  async run() {
    const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
    const rows: {
      kind: DetectorKind;
      arrival: number;
      verdict: number;
      measured: number;
      model: number;
      pooled: number;
      pooledModel: number;
    }[] = [];
    for (const kind of DETECTOR_KINDS) {
      const { measured, model } = memory(kind, false);
      const pooled = memory(kind, true);
      rows.push({
        kind,
        arrival: arrivalAndSuspicion(kind),
        verdict: verdictRead(kind),
        measured,
        model,
        pooled: pooled.measured,
        pooledModel: pooled.model,
      });
    }
    void sink;
    const base = rows.find((r) => r.kind === 'timeout') ?? rows[0];
    if (base === undefined) return 'No detectors registered.';
    const body = table(
      [
        'detector',
        'arrival + suspicion ns/op',
        'ratio vs timeout',
        'suspectAtMs() ns/op',
        'memoryBytes() (model)',
        'heap bytes / node (measured)',
        'measured ratio vs timeout',
        'MB per million nodes (measured)',
        'memoryBytes() in a pool',
        'heap bytes / node in a pool (measured)',
        'pooled ratio vs timeout',
      ],
      rows.map((r) => [
        r.kind,
        fmt(r.arrival, 1),
        fmt(r.arrival / base.arrival, 2),
        fmt(r.verdict, 1),
        r.model,
        fmt(r.measured, 0),
        fmt(r.measured / base.measured, 2),
        fmt((r.measured * 1e6) / 2 ** 20, 0),
        r.pooledModel,
        fmt(r.pooled, 0),
        fmt(r.pooled / base.pooled, 2),
      ]),
    );
    return [
      `Defaults for a 1 s sender; ${ITERATIONS.toLocaleString('en-US')} arrivals per run, median of ${RUNS} runs; jitter ±10 %.`,
      `Heap bytes: ${MEMORY_NODES.toLocaleString('en-US')} detectors with ${MEMORY_ARRIVALS} arrivals each, V8 used heap + external memory after GC${hasGc ? '' : ' (run without --expose-gc: figures include garbage)'}. "In a pool": the same detectors drawing their windows from one \`SamplePool\` (${MEMORY_SLAB_BYTES / 1024} KiB slabs, counted), as the node table makes them; the others own their storage, as the simulator makes them.`,
      '',
      body,
    ].join('\n');
  },
};

export default suite;
