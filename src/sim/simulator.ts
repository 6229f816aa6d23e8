/**
 * The deterministic simulator: runs a scenario through the real monitor code — the NodeTable with
 * its detectors, deadline queue and pause guard — on a ManualClock, with heartbeats carried by
 * the in-memory network. Nothing else is simulated: the table under test is the production one.
 * A seed reproduces a run exactly (every random draw comes from streams derived from it, see
 * rng-streams.ts); the result names its seed, and `checkRun` puts it in every violation.
 */
import { ManualClock, type ScheduledTask } from '../core/clock.js';
import { MAX_SIM_TRANSITIONS } from '../core/limits.js';
import { createDetector } from '../detectors/registry.js';
import {
  NodeTable,
  type NodeTableCounters,
  type NodeTableOptions,
  type ReceiveOutcome,
} from '../membership/node-table.js';
import type { NodeState, NodeTransition } from '../membership/types.js';
import type { Message } from '../protocol/message.js';
import { MemoryNetwork, type MemoryNetworkStats } from '../transport/memory-network.js';
import { PauseWindows } from './pause-windows.js';
import { streamRng } from './rng-streams.js';
import type { Scenario } from './scenario.js';
import { SenderModel } from './sender-model.js';
import { mean, percentileSorted } from './stats.js';
import { StallingClock } from './stalling-clock.js';

export interface RunOptions {
  /** Seed of every random draw. @default 1 */
  seed?: number;
  /**
   * Keep the transitions in the result (up to MAX_SIM_TRANSITIONS; beyond, they are counted).
   * @default true
   */
  keepTransitions?: boolean;
  /** Called with every transition as it happens (a progress view, a custom checker). */
  onTransition?: (t: NodeTransition) => void;
  /** Called with every heartbeat as the monitor reads it, and the table's verdict on it. */
  onHeartbeat?: (message: Message, atMs: number, outcome: ReceiveOutcome) => void;
}

/** What happened to one crashed node. */
export interface CrashDetection {
  nodeId: string;
  crashAtMs: number;
  /** When the final suspicion began (null when the node was never suspected after the crash). */
  suspectAtMs: number | null;
  deadAtMs: number | null;
  /** max(0, suspectAtMs − crashAtMs), null when undetected. */
  detectionMs: number | null;
  /** max(0, deadAtMs − crashAtMs), null when never declared dead. */
  convictionMs: number | null;
}

export interface SimulationResult {
  scenario: string;
  seed: number;
  durationMs: number;
  nodes: number;
  /** Heartbeats the senders sent, and what the network did with them. */
  heartbeatsSent: number;
  network: MemoryNetworkStats;
  table: NodeTableCounters;
  /** Every transition in order (when kept), and how many there were in all. */
  transitions: NodeTransition[];
  transitionCount: number;
  /** Transitions to `suspect` of a node that had not crashed (yet). */
  falseSuspicions: number;
  /** Transitions to `dead` of a node that had not crashed (yet): a healthy node convicted. */
  falseConvictions: number;
  /** False suspicions per node-hour of up time. */
  falseSuspicionsPerHour: number;
  /** One entry per crashed node. */
  crashes: CrashDetection[];
  detectionMeanMs: number;
  detectionP99Ms: number;
  detectionMaxMs: number;
  /** Final state of every node, by id. */
  finalStates: Record<NodeState, number>;
}

const WALL_START_MS = 1_700_000_000_000;
const HOUR_MS = 3_600_000;

/** The id of simulated node `i` (0-based): `node-001`, … padded so ids sort in order. */
export function simNodeId(i: number, nodes: number): string {
  return `node-${String(i + 1).padStart(Math.max(3, String(nodes).length), '0')}`;
}

/** What every sender's task shares. */
interface SendRun {
  clock: ManualClock;
  network: MemoryNetwork;
  /** The sender whose heartbeat is being sent (its link draws the loss and the delay). */
  link: { sender: SenderModel };
  monitor: string;
  intervalMs: number;
  /** Heartbeats sent so far, by all senders. */
  sent: number;
}

/**
 * One sender's next heartbeat, scheduled on the clock: sends it, then schedules itself for the
 * one after. One object per node for the whole run, where a timer per heartbeat would allocate a
 * timer and its handle every time.
 */
class SendTask implements ScheduledTask {
  constructor(
    private readonly shared: SendRun,
    private readonly sender: SenderModel,
    private readonly nodeId: string,
    private readonly incarnation: number,
  ) {}

  run(): void {
    const sender = this.sender;
    const sentMs = sender.send();
    if (Number.isNaN(sentMs)) return;
    const r = this.shared;
    r.sent++;
    r.link.sender = sender;
    r.network.send(this.nodeId, r.monitor, {
      type: 'heartbeat',
      nodeId: this.nodeId,
      incarnation: this.incarnation,
      seq: sender.seq,
      sentAtMs: Math.round(sender.wallMs(sentMs, WALL_START_MS)),
      intervalMs: r.intervalMs,
    });
    const next = sender.peekNextMs();
    if (next !== undefined) r.clock.schedule(this, next - r.clock.monotonicMs());
  }
}

/** Runs a scenario to its end and reports transitions and QoS figures. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): SimulationResult {
  const seed = options.seed ?? 1;
  const keep = options.keepTransitions ?? true;
  const clock = new ManualClock({ startMs: 0, wallStartMs: WALL_START_MS });
  // Without monitor pauses the table runs on the plain clock (no wrapper on the hot path).
  const stalling =
    scenario.monitorPauses === undefined
      ? undefined
      : new StallingClock(
          clock,
          new PauseWindows(scenario.monitorPauses, streamRng(seed, 'monitor')),
        );
  const senders = Array.from(
    { length: scenario.nodes },
    (_, i) => new SenderModel(scenario, seed, i),
  );
  const ids = senders.map((_, i) => simNodeId(i, scenario.nodes));
  const MONITOR = 'monitor';

  // Every message is sent by a sender's task (below), which sets `link.sender` first: the
  // network's loss and delay draws come from that sender's link without a lookup by address.
  const link = { sender: senders[0] as SenderModel };
  const network = new MemoryNetwork(
    { clock },
    { lose: () => link.sender.lose(), delayMs: () => link.sender.delayMs() },
  );
  const tableOptions: NodeTableOptions = { defaultIntervalMs: scenario.intervalMs };
  const m = scenario.monitor;
  if (m.detector !== undefined) tableOptions.detector = m.detector;
  if (m.deadAfterMs !== undefined) tableOptions.deadAfterMs = m.deadAfterMs;
  if (m.startupGraceMs !== undefined) tableOptions.startupGraceMs = m.startupGraceMs;
  if (m.pauseToleranceMs !== undefined) tableOptions.pauseToleranceMs = m.pauseToleranceMs;
  if (m.pauseGraceMs !== undefined) tableOptions.pauseGraceMs = m.pauseGraceMs;
  const table = new NodeTable({ clock: stalling ?? clock, createDetector }, tableOptions);

  const transitions: NodeTransition[] = [];
  let transitionCount = 0;
  const byNode = new Map<string, NodeTransition[]>();
  const crashAt = new Map(ids.map((id, i) => [id, (senders[i] as SenderModel).crashAtMs]));
  let falseSuspicions = 0;
  let falseConvictions = 0;
  table.on('transition', (t) => {
    transitionCount++;
    if (keep && transitions.length < MAX_SIM_TRANSITIONS) transitions.push(t);
    options.onTransition?.(t);
    const crashedAt = crashAt.get(t.nodeId) ?? Infinity;
    if (t.atMs < crashedAt) {
      if (t.to === 'suspect') falseSuspicions++;
      if (t.to === 'dead') falseConvictions++;
    }
    if (crashedAt !== Infinity) {
      let list = byNode.get(t.nodeId);
      if (list === undefined) byNode.set(t.nodeId, (list = []));
      list.push(t);
    }
  });

  const read = (message: Message, from: { address: string }): void => {
    const outcome = table.receive(message, from);
    options.onHeartbeat?.(message, clock.monotonicMs(), outcome);
  };
  network.listen(MONITOR, (message, from) => {
    // A closure to hold the message only while the monitor is stalled.
    if (stalling === undefined || !stalling.stalledNow()) read(message, from);
    else stalling.whenRunning(() => read(message, from));
  });
  const interval = Math.max(1, Math.round(scenario.intervalMs));
  for (const id of ids) table.register(id, { intervalMs: interval });

  // Partitions: cut at the start, healed at the end (set now, so they run before sends due then);
  // a recurring one sets its heal and its next cut when it cuts, ahead of the sends due then.
  for (const p of scenario.partitions) {
    const cut = ids.slice(0, p.nodes ?? scenario.nodes);
    const occur = (startMs: number): void => {
      clock.setTimeout(() => {
        const heal = network.partition(cut, [MONITOR]);
        clock.setTimeout(heal, p.durationMs);
        const next = startMs + (p.everyMs ?? Infinity);
        if (next < scenario.durationMs) occur(next);
      }, startMs - clock.monotonicMs());
    };
    occur(p.startMs);
  }

  const run: SendRun = { clock, network, link, monitor: MONITOR, intervalMs: interval, sent: 0 };
  senders.forEach((sender, i) => {
    const task = new SendTask(run, sender, ids[i] as string, i + 1);
    const first = sender.peekNextMs();
    if (first !== undefined) clock.schedule(task, first);
  });

  clock.advanceTo(scenario.durationMs);
  table.stop();

  const crashes: CrashDetection[] = [];
  ids.forEach((id, i) => {
    const at = (senders[i] as SenderModel).crashAtMs;
    if (at === Infinity || at >= scenario.durationMs) return;
    crashes.push(detectionOf(id, at, byNode.get(id) ?? []));
  });
  const detected = Float64Array.from(
    crashes.map((c) => (c.detectionMs === null ? Infinity : c.detectionMs)),
  ).sort();
  const upMs = senders.reduce((sum, s) => sum + Math.min(s.crashAtMs, scenario.durationMs), 0);

  return {
    scenario: scenario.name,
    seed,
    durationMs: scenario.durationMs,
    nodes: scenario.nodes,
    heartbeatsSent: run.sent,
    network: network.stats(),
    table: table.counters(),
    transitions,
    transitionCount,
    falseSuspicions,
    falseConvictions,
    falseSuspicionsPerHour: upMs > 0 ? (falseSuspicions * HOUR_MS) / upMs : Number.NaN,
    crashes,
    detectionMeanMs: mean(detected),
    detectionP99Ms: percentileSorted(detected, 0.99),
    detectionMaxMs: detected.length === 0 ? Number.NaN : (detected[detected.length - 1] as number),
    finalStates: table.counts(),
  };
}

/** From a crashed node's transitions: when its final failure (suspect, then dead) began. */
function detectionOf(
  nodeId: string,
  crashAtMs: number,
  list: readonly NodeTransition[],
): CrashDetection {
  let suspectAtMs: number | null = null;
  let deadAtMs: number | null = null;
  for (const t of list) {
    if (t.to === 'alive') {
      suspectAtMs = null;
      deadAtMs = null;
    } else if (t.to === 'suspect') {
      suspectAtMs ??= t.atMs;
    } else if (t.to === 'dead') {
      suspectAtMs ??= t.atMs;
      deadAtMs ??= t.atMs;
    }
  }
  return {
    nodeId,
    crashAtMs,
    suspectAtMs,
    deadAtMs,
    detectionMs: suspectAtMs === null ? null : Math.max(0, suspectAtMs - crashAtMs),
    convictionMs: deadAtMs === null ? null : Math.max(0, deadAtMs - crashAtMs),
  };
}
