/**
 * Simulator speed: simulated heartbeats per second through the full simulator (the real node
 * table and detector, the in-memory network, ManualClock) and through the fast QoS replay, and
 * the time to simulate a year of one node at 1 Hz. Baseline: a bare ManualClock timer loop (one
 * timer per tick, each setting the next), measured in the same run; the ratio says how many bare
 * timers one simulated heartbeat costs.
 *
 * Where a heartbeat's time goes: the same day of heartbeats fed straight into the node table
 * (no sender, network or simulator), and the sender's and link's random draws alone (no table).
 * What the full simulator costs beyond their sum is its own machinery (events, network).
 *
 * Wall time and CPU time of the process are both reported: the machine is shared, and CPU time
 * moves less with the load than wall time (it still grows when other jobs share the caches).
 * Short workloads run several times and report the median.
 *
 * Each workload runs twice: on the sources as the bench runner loads them (tsx, whose esbuild
 * transform keeps function names by wrapping every named closure — expensive on hot paths that
 * create closures), and on the same sources compiled by TypeScript to plain JavaScript, which is
 * what `npm run build` ships.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import * as sourceLib from '../../src/sim/index.js';
import { ManualClock as SourceManualClock } from '../../src/core/clock.js';
import { createDetector as sourceCreateDetector } from '../../src/detectors/registry.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { NodeTable as SourceNodeTable } from '../../src/membership/node-table.js';
import type { Message } from '../../src/protocol/message.js';
import { SenderModel as SourceSenderModel } from '../../src/sim/sender-model.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { fmt, table, type BenchSuite } from '../harness.js';

interface Parts {
  ManualClock: typeof SourceManualClock;
  NodeTable: typeof SourceNodeTable;
  createDetector: typeof sourceCreateDetector;
  SenderModel: typeof SourceSenderModel;
}
type SimLib = typeof sourceLib & Parts;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const starlink = path.resolve(
  root,
  'test',
  'fixtures',
  'traces',
  'starlink',
  'isl-ping-gw-lagos-230911-172603-0.1s-60min.txt',
);
const DAY_MS = 86_400_000;
/** The many-node workload: 1 000 nodes for 15 minutes (900 000 heartbeats). */
const MANY_MS = 900_000;
/** Runs of each short workload; the median is reported. */
const RUNS = 5;
const YEAR_MS = 365 * DAY_MS;

/**
 * The sources compiled to plain JavaScript by TypeScript (as `npm run build` does, no
 * name-keeping wrappers), written under node_modules/.cache so bare imports resolve, and imported
 * back.
 */
async function compiledLib(): Promise<SimLib> {
  const out = path.join(root, 'node_modules', '.cache', 'heartbeat-bench-sim');
  rmSync(out, { recursive: true, force: true });
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const js = ts.transpileModule(readFileSync(full, 'utf8'), {
          compilerOptions: {
            module: ts.ModuleKind.ESNext,
            target: ts.ScriptTarget.ES2022,
            esModuleInterop: true,
          },
          fileName: full,
        }).outputText;
        const target = path.join(out, path.relative(root, full)).replace(/\.ts$/, '.js');
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, js);
      }
    }
  };
  walk(path.join(root, 'src'));
  writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
  const load = async <T>(file: string): Promise<T> =>
    (await import(pathToFileURL(path.join(out, file)).href)) as T;
  const sim = await load<typeof sourceLib>('src/sim/index.js');
  const clock = await load<Pick<Parts, 'ManualClock'>>('src/core/clock.js');
  const nodeTable = await load<Pick<Parts, 'NodeTable'>>('src/membership/node-table.js');
  const registry = await load<Pick<Parts, 'createDetector'>>('src/detectors/registry.js');
  const sender = await load<Pick<Parts, 'SenderModel'>>('src/sim/sender-model.js');
  return {
    ...sim,
    ManualClock: clock.ManualClock,
    NodeTable: nodeTable.NodeTable,
    createDetector: registry.createDetector,
    SenderModel: sender.SenderModel,
  };
}

/** Bare timer loop: ns per timer (set, fire, set the next). */
function bareTimerNs(lib: SimLib, ticks: number): number {
  const clock = new lib.ManualClock();
  let n = 0;
  const tick = (): void => {
    if (++n < ticks) clock.setTimeout(tick, 1000);
  };
  clock.setTimeout(tick, 1000);
  const t0 = performance.now();
  clock.advanceTo(ticks * 1000 + 1);
  return ((performance.now() - t0) * 1e6) / n;
}

interface SimRun {
  heartbeats: number;
  /** Wall time. */
  ms: number;
  /** CPU time of the process (all its threads: the collector's too). */
  cpuMs: number;
}

/** Times `work` (which returns the heartbeats it simulated), wall and CPU. */
function timed(work: () => number): SimRun {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const heartbeats = work();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { heartbeats, ms, cpuMs: (c.user + c.system) / 1000 };
}

/** Median wall and median CPU time of `runs` runs. */
function medianOf(runs: number, work: () => SimRun): SimRun {
  const all = Array.from({ length: runs }, work);
  const mid = (xs: number[]): number =>
    xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return {
    heartbeats: (all[0] as SimRun).heartbeats,
    ms: mid(all.map((r) => r.ms)),
    cpuMs: mid(all.map((r) => r.cpuMs)),
  };
}

/** One node (or many) at 1 Hz on a LAN-like link, phi-accrual. */
function benchScenario(lib: SimLib, durationMs: number, nodes: number): Scenario {
  return lib.parseScenario({
    name: 'bench',
    durationMs,
    nodes,
    intervalMs: 1000,
    jitterRatio: 0.1,
    delay: { kind: 'log-normal', medianMs: 1, sigma: 0.5 },
    loss: { kind: 'independent', probability: 0.001 },
  });
}

/** The scenario through the full simulator. */
function fullSim(lib: SimLib, durationMs: number, nodes: number): SimRun {
  const scenario = benchScenario(lib, durationMs, nodes);
  return timed(() => lib.runScenario(scenario, { seed: 1, keepTransitions: false }).heartbeatsSent);
}

/**
 * The node table alone: node 0's heartbeats of the same run (scenarioToTrace gives exactly the
 * ones the simulator delivers), messages built beforehand, each handed to `receive` at its
 * arrival time on a ManualClock — the table, its detector and its deadline timer, nothing else.
 */
function tableAlone(lib: SimLib, durationMs: number): () => SimRun {
  const scenario = benchScenario(lib, durationMs, 1);
  const arrivals = lib
    .scenarioToTrace(scenario, 1, { fromScenarioStart: true })
    .arrivals.filter((a) => a.recvMs !== null)
    .sort((a, b) => (a.recvMs as number) - (b.recvMs as number));
  const nodeId = lib.simNodeId(0, 1);
  const messages: Message[] = arrivals.map((a) => ({
    type: 'heartbeat',
    nodeId,
    incarnation: 1,
    seq: a.seq,
    sentAtMs: Math.round(a.sentMs),
    intervalMs: 1000,
  }));
  const atMs = Float64Array.from(arrivals, (a) => a.recvMs as number);
  const from = { address: nodeId };
  return () =>
    timed(() => {
      const clock = new lib.ManualClock({ startMs: 0 });
      const t = new lib.NodeTable(
        { clock, createDetector: lib.createDetector },
        { defaultIntervalMs: 1000 },
      );
      t.on('transition', () => undefined);
      t.register(nodeId, { intervalMs: 1000 });
      for (let i = 0; i < messages.length; i++) {
        clock.advanceTo(atMs[i] as number);
        t.receive(messages[i] as Message, from);
      }
      clock.advanceTo(durationMs);
      t.stop();
      return messages.length;
    });
}

/** The sender's and link's random draws alone (send time, loss, delay, wall clock), no table. */
function drawsAlone(lib: SimLib, durationMs: number): () => SimRun {
  const scenario = benchScenario(lib, durationMs, 1);
  return () =>
    timed(() => {
      const sender = new lib.SenderModel(scenario, 1, 0);
      let n = 0;
      let sum = 0;
      for (let t = sender.send(); !Number.isNaN(t); t = sender.send()) {
        n++;
        sum += sender.wallMs(t, 0);
        if (!sender.lose()) sum += sender.delayMs();
      }
      return sum > 0 ? n : 0;
    });
}

const SPECS: DetectorSpec[] = [
  { kind: 'timeout' },
  { kind: 'missed-beats' },
  { kind: 'phi-accrual' },
  { kind: 'phi-cassandra' },
  { kind: 'chen' },
];

/** The fast QoS replay over the Starlink trace: arrivals × specs per second. */
function replay(lib: SimLib, specs: DetectorSpec[]): SimRun {
  const [trace] = lib.readTrace(starlink);
  if (trace === undefined) throw new Error(`no trace in ${starlink}`);
  lib.evaluateMany(trace, specs.slice(0, 1)); // prepares (cached) and warms up
  return timed(() => {
    lib.evaluateMany(trace, specs);
    return trace.arrivals.length * specs.length;
  });
}

/** A sweep of 20 φ thresholds, as the lab runs them. */
const PHI_SWEEP: DetectorSpec[] = Array.from({ length: 20 }, (_, i) => ({
  kind: 'phi-accrual',
  threshold: 1 + i,
}));

const perSecond = (r: SimRun): number => (r.heartbeats / r.ms) * 1000;
const perCpuSecond = (r: SimRun): number => (r.heartbeats / r.cpuMs) * 1000;
const cpuNs = (r: SimRun): number => (r.cpuMs * 1e6) / r.heartbeats;

const suite: BenchSuite = {
  name: 'sim',
  title: 'Simulator: heartbeats per second, a year of one node',
  async run() {
    const libs: [string, SimLib][] = [
      [
        'sources via tsx (bench runner)',
        {
          ...sourceLib,
          ManualClock: SourceManualClock,
          NodeTable: SourceNodeTable,
          createDetector: sourceCreateDetector,
          SenderModel: SourceSenderModel,
        },
      ],
      ['compiled (tsc output)', await compiledLib()],
    ];
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const [label, lib] of libs) {
      bareTimerNs(lib, 200_000); // warm-up
      const timerNs = Math.min(bareTimerNs(lib, 2_000_000), bareTimerNs(lib, 2_000_000));
      const timersPerSecond = 1e9 / timerNs;
      fullSim(lib, DAY_MS, 1); // JIT warm-up
      const day = medianOf(RUNS, () => fullSim(lib, DAY_MS, 1));
      const alone = tableAlone(lib, DAY_MS);
      alone(); // warm-up
      const tableDay = medianOf(RUNS, alone);
      const draws = drawsAlone(lib, DAY_MS);
      draws(); // warm-up
      const drawsDay = medianOf(RUNS, draws);
      const many = fullSim(lib, MANY_MS, 1000);
      const phi = replay(lib, PHI_SWEEP);
      const all = replay(lib, SPECS);
      const row = (what: string, r: SimRun): (string | number)[] => [
        label,
        what,
        fmt(r.heartbeats, 0),
        fmt(r.ms, 0),
        fmt(perSecond(r), 0),
        fmt(r.cpuMs, 0),
        fmt(perCpuSecond(r), 0),
        fmt(timersPerSecond / perSecond(r), 1),
      ];
      rows.push([
        label,
        'baseline: bare ManualClock timer loop (timers)',
        fmt(2_000_000, 0),
        fmt((timerNs * 2_000_000) / 1e6, 0),
        fmt(timersPerSecond, 0),
        '',
        '',
        '1.0',
      ]);
      rows.push(row(`full simulator, 1 node × 1 day at 1 Hz, φ accrual (median of ${RUNS})`, day));
      rows.push(row(`— node table alone, the same heartbeats (median of ${RUNS})`, tableDay));
      rows.push(row(`— sender and link draws alone (median of ${RUNS})`, drawsDay));
      rows.push(row('full simulator, 1 000 nodes × 15 min at 1 Hz, φ accrual', many));
      rows.push(row('QoS replay, Starlink 36 000 probes × 20 φ thresholds', phi));
      rows.push(row('QoS replay, Starlink, 5 default detectors', all));
      const own = cpuNs(day) - cpuNs(tableDay) - cpuNs(drawsDay);
      notes.push(
        `- ${label}: one heartbeat through the full simulator costs ${fmt(cpuNs(day), 0)} ns of CPU: ` +
          `the node table (with its φ detector and deadline timer) ${fmt(cpuNs(tableDay), 0)} ns ` +
          `(${fmt((100 * cpuNs(tableDay)) / cpuNs(day), 0)} %), the random draws ` +
          `${fmt(cpuNs(drawsDay), 0)} ns (${fmt((100 * cpuNs(drawsDay)) / cpuNs(day), 0)} %), ` +
          `the simulator's own events and network the remaining ${fmt(own, 0)} ns ` +
          `(${fmt((100 * own) / cpuNs(day), 0)} %).`,
      );
      if (lib === libs[0]?.[1]) {
        notes.push(
          `- ${label}: a year of one node at 1 Hz through the full simulator would take ` +
            `${fmt((YEAR_MS / DAY_MS) * (day.ms / 1000), 0)} s (extrapolated from the median day).`,
        );
      }
      notes.push(
        `- ${label}: a year of one node at 1 Hz through the QoS replay: ` +
          `${fmt(YEAR_MS / 1000 / perSecond(phi), 0)} s per φ threshold (from the sweep's rate).`,
      );
    }
    // Measure the year outright where it takes seconds.
    const compiled = libs[1]?.[1] as SimLib;
    const year = fullSim(compiled, YEAR_MS, 1);
    notes.push(
      `- compiled (tsc output): a year of one node at 1 Hz (${fmt(year.heartbeats, 0)} heartbeats) ` +
        `through the full simulator, measured: **${fmt(year.ms / 1000, 1)} s** wall ` +
        `(${fmt(perSecond(year), 0)} heartbeats/s), ${fmt(year.cpuMs / 1000, 1)} s CPU ` +
        `(${fmt(perCpuSecond(year), 0)} heartbeats per CPU-second).`,
    );
    notes.push(
      `- 1-minute load average at the end of the run: ${fmt(os.loadavg()[0] as number, 1)} on ` +
        `${os.cpus().length} cores (other jobs shared them; wall times scale with it).`,
    );
    return [
      table(
        [
          'code',
          'workload',
          'heartbeats',
          'wall ms',
          'heartbeats/s',
          'CPU ms',
          'heartbeats/CPU-s',
          'bare timers per heartbeat',
        ],
        rows,
      ),
      '',
      ...notes,
      '',
      'A heartbeat through the full simulator is three clock events — the sender’s next send, the ' +
        'message’s delivery and, about once per heartbeat, the node table’s deadline timer — plus ' +
        'the table’s bookkeeping, the detector and the random draws. Sends and deliveries are ' +
        'objects reused on the clock’s heap (ManualClock.schedule), not a closure and a timer ' +
        'handle each. The replay sets no timer; its cost is the detector’s arithmetic. Under tsx ' +
        'every named closure is wrapped to keep its name, which makes the bare timer loop (one ' +
        'such closure per timer) much slower than compiled code; the figures that matter for ' +
        'users are the compiled ones. The machine is shared with other jobs: figures vary by ' +
        '±30 % between runs.',
    ].join('\n');
  },
};

export default suite;
