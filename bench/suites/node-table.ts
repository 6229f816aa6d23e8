/**
 * Node table: the cost of one heartbeat (ns/op) at 1 k, 100 k and 1 M nodes, and the memory per
 * node at 1 M nodes, for the fixed timeout and the default detector (φ accrual). The baseline for
 * time is the same table at 1 k nodes (a ratio near 1 at 1 M means the cost does not grow with
 * the table), next to the floor that the memory hierarchy sets (a bare Map lookup over the same
 * ids); for memory it is a plain Map of one object per node holding the same fields, measured in
 * the same run.
 *
 * Heartbeats go round-robin, as N senders on the same interval do: every heartbeat refreshes the
 * node whose deadline is the earliest, which is the heap's worst case (sift from the root to a
 * leaf). Time moves to each heartbeat's arrival (interval / N apart) and the table's one timer
 * runs inside the loop when due, so its work (lazy deadline re-checks) is in the figure.
 */
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { FailureDetector } from '../../src/detectors/detector.js';
import { createDetector } from '../../src/detectors/registry.js';
import { SamplePool } from '../../src/detectors/sample-pool.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { NodeTable } from '../../src/membership/node-table.js';
import type { Message } from '../../src/protocol/message.js';
import { fmt, table, type BenchSuite } from '../harness.js';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const INTERVAL_MS = 1000;
const SIZES = [1_000, 100_000, 1_000_000];
const MEMORY_NODES = 1_000_000;
const RUNS = 3;

/**
 * A clock with room for one timer: it throws if a second one is set while one is pending, so the
 * benchmark also checks the table's one-timer rule at a million nodes. `advanceTo` runs the
 * timer when due, so the table's timer work (deadline re-checks) is inside the measured loop.
 */
class OneTimerClock implements Clock {
  nowMs = 0;
  timerCallbacks = 0;
  private fn: (() => void) | undefined;
  private dueMs = Infinity;
  private readonly handle: TimerHandle = {
    cancel: () => {
      this.fn = undefined;
      this.dueMs = Infinity;
    },
  };
  monotonicMs(): number {
    return this.nowMs;
  }
  wallMs(): number {
    return 1_763_884_800_000 + this.nowMs;
  }
  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    if (this.fn !== undefined) throw new Error('the node table set a second timer');
    this.fn = fn;
    this.dueMs = this.nowMs + Math.max(0, delayMs);
    return this.handle;
  }
  setInterval(): TimerHandle {
    throw new Error('the node table sets no intervals');
  }
  advanceTo(targetMs: number): void {
    while (this.dueMs <= targetMs) {
      const fn = this.fn as () => void;
      this.nowMs = Math.max(this.nowMs, this.dueMs);
      this.fn = undefined;
      this.dueMs = Infinity;
      this.timerCallbacks++;
      fn();
    }
    this.nowMs = targetMs;
  }
}

/** CPU time of this process in ns: the machine is shared, wall time counts other processes. */
const cpuNs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

const DETECTORS: { label: string; spec: DetectorSpec }[] = [
  { label: 'fixed timeout', spec: { kind: 'timeout' } },
  { label: 'φ accrual (default)', spec: { kind: 'phi-accrual' } },
];

const idOf = (i: number): string => `node-${i.toString().padStart(7, '0')}.dc1`;

/** A table with `n` nodes, each heard once, and the clock at the end of that first round. */
function filled(n: number, spec: DetectorSpec) {
  const clock = new OneTimerClock();
  const t = new NodeTable({ clock }, { detector: spec, defaultIntervalMs: INTERVAL_MS });
  const step = INTERVAL_MS / n;
  for (let i = 0; i < n; i++) {
    clock.advanceTo(i * step);
    t.receive({
      type: 'heartbeat',
      nodeId: idOf(i),
      incarnation: 1,
      seq: 1,
      intervalMs: INTERVAL_MS,
    });
  }
  return { clock, t, step };
}

interface TimeResult {
  cpuNs: number;
  wallNs: number;
  timerCallbacksPerHeartbeat: number;
}

/** Measures `count` calls of `step(op)` after a warm-up: CPU and wall ns per call, median of RUNS. */
function measure(
  count: number,
  step: (op: number) => void,
  warmup = Math.min(count, 200_000),
): { cpuNs: number; wallNs: number } {
  let op = 0;
  const run = (k: number): [number, number] => {
    const c0 = cpuNs();
    const w0 = performance.now();
    for (let j = 0; j < k; j++) step(op++);
    return [(cpuNs() - c0) / k, ((performance.now() - w0) * 1e6) / k];
  };
  run(warmup);
  const runs = Array.from({ length: RUNS }, () => run(count));
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return { cpuNs: mid(runs.map((r) => r[0])), wallNs: mid(runs.map((r) => r[1])) };
}

/** ns per heartbeat over round-robin heartbeats to all `n` nodes, after one round. */
function heartbeatNs(n: number, spec: DetectorSpec): TimeResult {
  const { clock, t, step } = filled(n, spec);
  const ids = Array.from({ length: n }, (_, i) => idOf(i));
  const msg: Message = {
    type: 'heartbeat',
    nodeId: '',
    incarnation: 1,
    seq: 1,
    intervalMs: INTERVAL_MS,
  };
  const count = Math.max(1_000_000, n);
  let callbacksBefore = 0;
  let heartbeats = 0;
  const warmup = Math.max(200_000, 5 * n);
  const r = measure(
    count,
    (k) => {
      const op = n + k;
      if (k === warmup) callbacksBefore = clock.timerCallbacks;
      clock.advanceTo(op * step);
      msg.nodeId = ids[op % n] as string;
      msg.seq = 1 + Math.floor(op / n);
      t.receive(msg);
      heartbeats++;
    },
    warmup,
  ); // five rounds: detector windows hold samples, deadlines are being re-checked
  const timerCallbacksPerHeartbeat =
    (clock.timerCallbacks - callbacksBefore) / (heartbeats - warmup);
  if (t.counts().alive !== n)
    throw new Error(`expected ${n} alive, got ${JSON.stringify(t.counts())}`);
  t.stop();
  return { ...r, timerCallbacksPerHeartbeat };
}

/**
 * The memory-hierarchy floor: the same round-robin over a bare Map<string, number> lookup plus
 * one Float64Array write. Its growth from 1 k to 1 M is cache misses, not algorithm.
 */
function bareMapNs(n: number): number {
  const map = new Map<string, number>();
  const ids = Array.from({ length: n }, (_, i) => idOf(i));
  ids.forEach((id, i) => map.set(id, i));
  const last = new Float64Array(n);
  return measure(Math.max(1_000_000, n), (op) => {
    last[map.get(ids[op % n] as string) as number] = op;
  }).cpuNs;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Heap plus array buffers after a full collection: typed arrays live outside the JS heap. V8
 * frees the backing stores of dead array buffers after the collection that found them dead (a
 * sample pool's slabs from an earlier run, ~170 MB at a million nodes), so the figure is read
 * once it has settled between collections, with the event loop turning in between.
 */
async function usedBytes(): Promise<number> {
  let last = NaN;
  for (let round = 0; round < 20; round++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
    const m = process.memoryUsage();
    const now = m.heapUsed + m.arrayBuffers;
    if (Math.abs(now - last) < 64 * 1024) return now;
    last = now;
  }
  return last;
}

async function tableBytesPerNode(spec: DetectorSpec): Promise<number> {
  const before = await usedBytes();
  const { t } = filled(MEMORY_NODES, spec);
  const after = await usedBytes();
  if (t.size !== MEMORY_NODES) throw new Error('table not filled');
  t.stop();
  return (after - before) / MEMORY_NODES;
}

/**
 * The baseline: one plain object per node in a Map, same fields and detector as the table (its
 * detectors drawing from a sample pool too, so the ratio compares the table's layout alone).
 */
async function naiveBytesPerNode(spec: DetectorSpec): Promise<number> {
  const before = await usedBytes();
  const map = new Map<string, Record<string, unknown>>();
  const samplePool = new SamplePool();
  for (let i = 0; i < MEMORY_NODES; i++) {
    const now = i * (INTERVAL_MS / MEMORY_NODES) + 0.5;
    const detector: FailureDetector = createDetector(spec, { intervalMs: INTERVAL_MS, samplePool });
    detector.heartbeat(now, 1);
    map.set(idOf(i), {
      state: 'alive',
      address: null,
      tags: [],
      incarnation: 1,
      lastSeq: 1,
      lastArrivalMs: now,
      lastArrivalWallMs: 1_763_884_800_000 + now,
      stateSinceMs: now,
      failedSinceMs: null,
      intervalMs: INTERVAL_MS,
      heartbeats: 1,
      lost: 0,
      duplicates: 0,
      stale: 0,
      payload: null,
      deadlineMs: detector.suspectAtMs(),
      detector,
    });
  }
  const after = await usedBytes();
  if (map.size !== MEMORY_NODES || samplePool.liveBlocks > MEMORY_NODES) {
    throw new Error('map not filled');
  }
  return (after - before) / MEMORY_NODES;
}

const suite: BenchSuite = {
  name: 'node-table',
  title: 'Node table (heartbeat cost and memory per node)',
  async run() {
    if (gc === undefined) throw new Error('run with --expose-gc (npm run bench does)');
    const timeRows: (string | number)[][] = [];
    const bare = SIZES.map((n) => bareMapNs(n));
    for (const { label, spec } of DETECTORS) {
      const results = SIZES.map((n) => heartbeatNs(n, spec));
      const base = results[0]?.cpuNs ?? NaN;
      results.forEach((r, k) => {
        timeRows.push([
          label,
          (SIZES[k] as number).toLocaleString('en-US'),
          fmt(r.cpuNs, 0),
          fmt(r.wallNs, 0),
          fmt(r.cpuNs / base, 2),
          fmt(r.timerCallbacksPerHeartbeat, 2),
        ]);
      });
    }
    bare.forEach((ns, k) => {
      timeRows.push([
        'bare Map.get + write (floor)',
        (SIZES[k] as number).toLocaleString('en-US'),
        fmt(ns, 0),
        '',
        fmt(ns / (bare[0] as number), 2),
        '',
      ]);
    });
    const memRows: (string | number)[][] = [];
    for (const { label, spec } of DETECTORS) {
      const tableBytes = await tableBytesPerNode(spec);
      const naiveBytes = await naiveBytesPerNode(spec);
      const detectorBytes = createDetector(spec, {
        intervalMs: INTERVAL_MS,
        samplePool: new SamplePool(),
      }).memoryBytes();
      memRows.push([
        label,
        fmt(tableBytes, 0),
        fmt(naiveBytes, 0),
        fmt(tableBytes / naiveBytes, 2),
        detectorBytes,
      ]);
    }
    return [
      'Heartbeat cost: round-robin heartbeats to every node (each one is for the node with the',
      "earliest deadline, the heap's worst case), timer callbacks included; median of 3 runs of",
      '≥ 1 M heartbeats. ns are CPU time of the process (the machine is shared; wall time is shown',
      'too); the ratio is against 1 k nodes in the same run. "Timer callbacks / hb": how often the',
      'one timer fired per heartbeat (lazy deadline re-checks). The last rows are the floor set by',
      'the memory hierarchy: a bare Map lookup and one typed-array write, same ids, same order.',
      `Load average during the run: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(', ')} (other work shared the machine).`,
      '',
      table(
        [
          'detector',
          'nodes',
          'CPU ns / heartbeat',
          'wall ns',
          'ratio vs 1 k',
          'timer callbacks / hb',
        ],
        timeRows,
      ),
      '',
      `Memory at ${MEMORY_NODES.toLocaleString('en-US')} nodes, each heard once: JS heap plus array`,
      'buffers after a full GC, divided by the node count. It includes the id string (19 chars),',
      'the id map entry, the columns, the deadline queue and the detector (its window in the',
      "table's sample pool). Baseline: a Map of one plain object per node with the same fields and",
      'detector (drawing from a sample pool too).',
      '',
      table(
        [
          'detector',
          'table bytes / node',
          'Map-of-objects bytes / node',
          'ratio',
          'detector memoryBytes()',
        ],
        memRows,
      ),
    ].join('\n');
  },
};

export default suite;
