/**
 * The node table: every node a monitor knows, its lifecycle state (unknown → alive → suspect →
 * dead, plus left), its detector, and one deadline per node in a single priority queue with a
 * single clock timer for the earliest one. A heartbeat costs one map lookup, one detector update
 * and one O(log n) queue update; nothing runs per node per tick. docs/MEMBERSHIP.md describes
 * the states, the deadline queue, the pause guard and the memory per node.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import {
  DEFAULT_DETECTOR,
  DEFAULT_INTERVAL_MS,
  PAUSE_TOLERANCE_MS,
  defaultDeadAfterMs,
  defaultPauseGraceMs,
  defaultStartupGraceMs,
} from '../core/defaults.js';
import { TypedEmitter } from '../core/emitter.js';
import { ConfigError, HeartbeatError, LimitError, UnknownNodeError } from '../core/errors.js';
import {
  MAX_HEARTBEAT_INTERVAL_MS,
  MAX_NODES,
  MAX_TRANSITIONS_PER_TICK,
  MAX_WARMUP_SAMPLES,
} from '../core/limits.js';
import type { DetectorContext, FailureDetector } from '../detectors/detector.js';
import { SamplePool } from '../detectors/sample-pool.js';
import type { DetectorSpec } from '../detectors/spec.js';
import type { Message, Payload } from '../protocol/message.js';
import { checkIntervalMs, checkNodeId } from '../protocol/validate.js';
import { classifyArrival, classifyLeave, type ArrivalHistory } from './arrival.js';
import { DeadlineQueue } from './deadline-queue.js';
import { describeStatus } from './describe-status.js';
import { defaultDetectorFactory, type DetectorFactory } from './detector-factory.js';
import {
  ALIVE,
  DEAD,
  FLAG_DIRTY,
  FLAG_RESTORED,
  LEFT,
  NO_TAGS,
  NodeColumns,
  SUSPECT,
  UNKNOWN,
} from './node-columns.js';
import {
  NODE_STATES,
  type Evidence,
  type NodeEvents,
  type NodeLifecycle,
  type NodePage,
  type NodePageQuery,
  type NodeSnapshot,
  type NodeState,
  type NodeTransition,
  type RestoredNode,
  type TransitionReason,
} from './types.js';

export interface NodeTableOptions {
  /**
   * Detector for every node unless `detectorFor` says otherwise.
   * @default DEFAULT_DETECTOR (core/defaults.ts), `{ kind: 'phi-accrual' }`: adapts to each
   * sender's observed jitter.
   */
  detector?: DetectorSpec;
  /** Per-node choice (groups by tag or id prefix); return undefined for the default. */
  detectorFor?: (nodeId: string, tags: readonly string[]) => DetectorSpec | undefined;
  /**
   * Interval assumed for senders that don't say theirs (text lines, bare pings).
   * @default DEFAULT_INTERVAL_MS (core/defaults.ts), 1000: the agent's default interval.
   */
  defaultIntervalMs?: number;
  /**
   * suspect → dead after this long.
   * @default defaultDeadAfterMs(the node's interval), 10 intervals (core/defaults.ts): ten
   * heartbeats missed in a row after suspicion is a crash, not a hiccup.
   */
  deadAfterMs?: number;
  /**
   * A registered (or restored) node never heard from within this time is dead ('never-came-up').
   * @default defaultStartupGraceMs(the node's interval), max(30 000, 3 intervals)
   * (core/defaults.ts): time for an agent to start after its registration.
   */
  startupGraceMs?: number;
  /**
   * Pause guard: the deadline timer firing later than due by more than this means the monitor
   * itself stalled (GC, SIGSTOP, VM pause, an overloaded event loop).
   * @default PAUSE_TOLERANCE_MS (core/defaults.ts), 500: far above timer jitter and the GC
   * pauses of a healthy process, well below a heartbeat interval.
   */
  pauseToleranceMs?: number;
  /**
   * After a detected stall, convictions wait this long so heartbeats queued in socket buffers
   * while the monitor was blind get read first.
   * @default defaultPauseGraceMs(defaultIntervalMs), 2 intervals (core/defaults.ts): every
   * live sender has sent at least one heartbeat by then.
   */
  pauseGraceMs?: number;
  /**
   * A node `dead` or `left` this long is removed from the table (`node:removed`, reason
   * `expired`); its history stays. @default undefined: kept until removed.
   */
  forgetAfterMs?: number;
  /** @default MAX_NODES from core/limits.ts. */
  maxNodes?: number;
  /**
   * Receives errors thrown by event listeners (they never stop the table or other listeners).
   * @default counted in `counters().listenerErrors` and otherwise ignored.
   */
  onListenerError?: (error: unknown) => void;
}

/** The settings `reconfigure` may change: the timing and detector ones. */
export type TableSettings = Pick<
  NodeTableOptions,
  | 'detector'
  | 'detectorFor'
  | 'defaultIntervalMs'
  | 'deadAfterMs'
  | 'forgetAfterMs'
  | 'startupGraceMs'
  | 'pauseToleranceMs'
  | 'pauseGraceMs'
>;

/** What the table made of one message. */
export type ReceiveOutcome =
  /** Refreshed liveness (maybe with a transition). */
  | 'accepted'
  /** Same seq as already seen: ignored, counted. */
  | 'duplicate'
  /** Older seq or older incarnation, or a leave for a node unknown or already gone: ignored, counted. */
  | 'stale'
  /** A seq further ahead than the time since the newest allows (arrival.ts): ignored, counted. */
  | 'seq-jump'
  /** A leave message was applied. */
  | 'left'
  /** Table full: counted, no state change. */
  | 'rejected-limit'
  /** Malformed (bad node id, type or numbered field): counted, no state change. */
  | 'rejected-invalid'
  /** The table was stopped. */
  | 'rejected-stopped';

/** Counts of what the table ignored or noticed, for metrics. */
export interface NodeTableCounters {
  duplicates: number;
  stale: number;
  /** Heartbeats refused as `seq-jump`. */
  seqJumps: number;
  /** Nodes whose seq was re-synced to the sender's after a run of refused heartbeats. */
  resyncs: number;
  rejectedLimit: number;
  rejectedInvalid: number;
  /** Times the pause guard saw the deadline timer fire late by more than the tolerance. */
  stalls: number;
  listenerErrors: number;
  /** Detector specs from `detectorFor` that could not be built (the default was used). */
  detectorErrors: number;
}

/** Components of the table: the clock, and optionally how detectors are made. */
export interface NodeTableComponents {
  clock: Clock;
  /** @default the detector registry's factory. */
  createDetector?: DetectorFactory;
}

/** NodeEvents as a type alias (the emitter needs an index-compatible type, not an interface). */
type EventMap = { [K in keyof NodeEvents]: NodeEvents[K] };

const MAX_U32 = 0xffff_ffff;

/** Reason codes stored per node (index = code). */
const REASONS: readonly TransitionReason[] = [
  'registered',
  'first-heartbeat',
  'heartbeat',
  'detector',
  'dead-grace-expired',
  'never-came-up',
  'restarted',
  'leave',
  'reported-failure',
  'removed',
  'expired',
];
const REASON_CODE = new Map(REASONS.map((r, i) => [r, i]));

const isU32 = (v: unknown): boolean =>
  v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_U32);

/**
 * The decoders' checks (src/protocol/validate.ts) on what the table reads, for direct callers:
 * the node id by the one validator every entry point uses, the numbered fields by range.
 */
function isWellFormed(m: Message): boolean {
  return (
    (m.type === 'heartbeat' || m.type === 'leave') &&
    checkNodeId(m.nodeId) === undefined &&
    isU32(m.incarnation) &&
    isU32(m.seq) &&
    (m.intervalMs === undefined || checkIntervalMs(m.intervalMs) === undefined)
  );
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** The sent time of an authenticated message (the replay rules read it); undefined otherwise. */
const signedAtMs = (m: Message): number | undefined =>
  m.authKeyId === undefined ? undefined : m.sentAtMs;

export class NodeTable {
  private readonly clock: Clock;
  private readonly createDetector: DetectorFactory;
  private readonly emitter: TypedEmitter<EventMap>;
  private readonly queue = new DeadlineQueue();
  private readonly cols = new NodeColumns();
  /**
   * The detectors' sample windows, in shared slabs instead of a typed array per node; a
   * detector's block goes back to it (`dispose`) when the table drops the detector.
   */
  private readonly samplePool = new SamplePool();
  /**
   * Prototype of the context passed to the detector factory: it carries the sample pool, so each
   * context's own data stays `{ intervalMs }` (what a custom factory sees when it logs, compares
   * or copies one; a copy made by spreading has no pool, and its detectors own their storage).
   */
  private readonly contextBase: Pick<DetectorContext, 'samplePool'> = {
    samplePool: this.samplePool,
  };
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  /** Slots whose FLAG_DIRTY was set since `takeDirty` last ran (may hold freed slots). */
  private dirtySlots: number[] = [];
  private nextSlot = 0;
  private readonly stateCounts = [0, 0, 0, 0, 0];
  private readonly stats: NodeTableCounters = {
    duplicates: 0,
    stale: 0,
    seqJumps: 0,
    resyncs: 0,
    rejectedLimit: 0,
    rejectedInvalid: 0,
    stalls: 0,
    listenerErrors: 0,
    detectorErrors: 0,
  };

  // The settings, set by `settle` (from the constructor and `reconfigure`).
  private detector!: DetectorSpec;
  private detectorFor: NodeTableOptions['detectorFor'];
  private defaultIntervalMs!: number;
  private deadAfterMs: number | undefined;
  private forgetAfterMs: number | undefined;
  private startupGraceMs: number | undefined;
  private pauseToleranceMs!: number;
  private pauseGraceMs!: number;
  private readonly maxNodes: number;

  private timer: TimerHandle | undefined;
  /** When the armed timer is due (Infinity when none is armed); lateness is measured from it. */
  private armedDueMs = Infinity;
  /** No conviction before this monotonic time. */
  private deferredUntilMs = -Infinity;
  private stopped = false;
  /**
   * Runs of refused heartbeats (arrival.ts) by slot: rare, so kept aside instead of in a column;
   * an entry lives from the first refusal to the next accepted heartbeat.
   */
  private readonly refusedRuns = new Map<number, { run: number; seq: number }>();
  /** Scratch input of classifyArrival, reused so a heartbeat allocates nothing. */
  private readonly history: ArrivalHistory = {
    state: 'unknown',
    incarnation: null,
    lastSeq: null,
    sinceLastMs: null,
    intervalMs: 0,
    refusedRun: 0,
    refusedRunSeq: 0,
    newestWallMs: null,
  };
  /** The timer callback, bound once (no closure per arming). */
  private readonly onTimerBound = (): void => this.onTimer();

  constructor(components: NodeTableComponents, init: NodeTableOptions = {}) {
    this.clock = components.clock;
    this.createDetector = components.createDetector ?? defaultDetectorFactory;
    const onListenerError = init.onListenerError;
    this.emitter = new TypedEmitter<EventMap>((error) => {
      this.stats.listenerErrors++;
      onListenerError?.(error);
    });
    this.settle(init);
    this.maxNodes = Math.min(MAX_NODES, nonNegative('maxNodes', init.maxNodes) ?? MAX_NODES);
  }

  /**
   * Takes the timing and detector settings (the constructor's, and `reconfigure`'s). Checks
   * everything first, the default detector spec included (ConfigError), then changes nothing
   * or all.
   */
  private settle(init: TableSettings): void {
    const defaultIntervalMs =
      positive('defaultIntervalMs', init.defaultIntervalMs) ?? DEFAULT_INTERVAL_MS;
    if (defaultIntervalMs > MAX_HEARTBEAT_INTERVAL_MS) {
      throw new ConfigError(
        `defaultIntervalMs must be at most ${MAX_HEARTBEAT_INTERVAL_MS} ms (MAX_HEARTBEAT_INTERVAL_MS), got ${defaultIntervalMs}`,
      );
    }
    const detector = init.detector ?? DEFAULT_DETECTOR;
    const deadAfterMs = nonNegative('deadAfterMs', init.deadAfterMs);
    const forgetAfterMs = nonNegative('forgetAfterMs', init.forgetAfterMs);
    const startupGraceMs = nonNegative('startupGraceMs', init.startupGraceMs);
    const pauseToleranceMs =
      nonNegative('pauseToleranceMs', init.pauseToleranceMs) ?? PAUSE_TOLERANCE_MS;
    const pauseGraceMs =
      nonNegative('pauseGraceMs', init.pauseGraceMs) ?? defaultPauseGraceMs(defaultIntervalMs);
    // Refuse a bad default spec now (ConfigError) rather than on some node's first heartbeat.
    this.createDetector(detector, { intervalMs: defaultIntervalMs }).dispose?.();
    this.detector = detector;
    this.detectorFor = init.detectorFor;
    this.defaultIntervalMs = defaultIntervalMs;
    this.deadAfterMs = deadAfterMs;
    this.forgetAfterMs = forgetAfterMs;
    this.startupGraceMs = startupGraceMs;
    this.pauseToleranceMs = pauseToleranceMs;
    this.pauseGraceMs = pauseGraceMs;
  }

  /**
   * New settings for a running table (a configuration reload), without a transition of its
   * own: deadlines are recomputed from each node's own times under the new settings, and with
   * `replaceDetectors` every node's detector is rebuilt from the new spec, warmed with the old
   * one's intervals and its real last arrival (docs/CONFIG.md, "Reloading"). Takes time in the
   * number of nodes (one pass). Throws ConfigError, changing nothing, for bad settings.
   */
  reconfigure(init: TableSettings, replaceDetectors: boolean): void {
    this.assertRunning();
    this.settle(init);
    const c = this.cols;
    const now = this.clock.monotonicMs();
    for (const slot of this.slotById.values()) {
      const old = c.detectors[slot];
      if (replaceDetectors && old !== undefined) {
        const fresh = this.newDetector(slot);
        const last = c.lastArrivalMs[slot] as number;
        warmUp(
          fresh,
          old.recentIntervals?.(MAX_WARMUP_SAMPLES) ?? [],
          Number.isNaN(last) ? now : last,
        );
        old.dispose?.();
        c.detectors[slot] = fresh;
      }
      this.requeue(slot, now);
    }
    this.arm();
  }

  /** The deadline of `slot` from its own times and the current settings. */
  private requeue(slot: number, now: number): void {
    const c = this.cols;
    const state = c.state[slot] as number;
    const since = c.stateSinceMs[slot] as number;
    if (state === UNKNOWN) {
      this.queue.set(slot, Math.max(now, since + this.startupGraceFor(slot)));
    } else if (state === ALIVE) {
      const due = c.detectors[slot]?.suspectAtMs() ?? Infinity;
      if (due === Infinity) this.queue.delete(slot);
      else this.queue.set(slot, due);
    } else if (state === SUSPECT) {
      this.queue.set(slot, Math.max(now, since + this.deadAfterFor(slot)));
    } else if (this.forgetAfterMs !== undefined) {
      this.queue.set(slot, Math.max(now, since + this.forgetAfterMs));
    } else {
      this.queue.delete(slot);
    }
  }

  on<K extends keyof NodeEvents>(name: K, listener: (e: NodeEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  get size(): number {
    return this.slotById.size;
  }

  /**
   * Registers an expected node: state `unknown` until heard, dead ('never-came-up') after the
   * startup grace. Idempotent: for a node already known it updates address, tags and interval and
   * emits nothing. Throws ConfigError for a bad id and LimitError when the table is full.
   */
  register(
    nodeId: string,
    info: { address?: string; tags?: string[]; intervalMs?: number } = {},
  ): NodeSnapshot {
    this.assertRunning();
    checkId(nodeId);
    const intervalMs = checkedInterval(info.intervalMs);
    const existing = this.slotById.get(nodeId);
    if (existing !== undefined) {
      this.updateInfo(existing, info.address, info.tags, intervalMs);
      return this.snapshot(existing, this.clock.monotonicMs());
    }
    this.assertRoom();
    const now = this.clock.monotonicMs();
    const slot = this.allocate(nodeId, intervalMs ?? this.defaultIntervalMs, now);
    this.updateInfo(slot, info.address, info.tags, undefined);
    this.cols.stateReason[slot] = REASON_CODE.get('registered') as number;
    this.queue.set(slot, now + this.startupGraceFor(slot));
    this.emitTransition('node:joined', slot, UNKNOWN, 'registered', now);
    this.arm();
    return this.snapshot(slot, now);
  }

  /**
   * Restores a node from persistent storage after a monitor restart, emitting nothing: it comes
   * back in the state it was stored in, with its last-seen time, counters, payload and (for
   * detectors that keep their window, see `recentIntervals`) its detector's warm-up. What is
   * genuine across a restart (docs/PAUSE-GUARD.md, "Across a restart"):
   * - `left` and `dead` stay so, with no deadline: nothing convicts them again;
   * - `alive` stays alive, its detector warmed as if the last heartbeat arrived at the restart
   *   (the monitor could not hear it while down): only silence after the restart convicts it;
   * - `suspect` stays suspect, and is dead when its dead grace, counted from when it became
   *   suspect, runs out;
   * - `unknown` keeps its registration deadline (counted from its registration);
   * - a record without a state (an older store) comes back `unknown` with a fresh startup grace.
   * The monitor defers convictions for a pause-guard grace after the restart on top of this. The
   * first heartbeat after a restore does not count its seq gap as lost (heartbeats the monitor
   * missed while down). A node already in the table only gets its address and tags updated.
   */
  restore(record: RestoredNode): void {
    this.assertRunning();
    checkId(record.id);
    const intervalMs = positive('intervalMs', record.intervalMs);
    const existing = this.slotById.get(record.id);
    if (existing !== undefined) {
      this.updateInfo(existing, record.address ?? undefined, record.tags, undefined);
      return;
    }
    this.assertRoom();
    const now = this.clock.monotonicMs();
    const c = this.cols;
    const slot = this.allocate(record.id, intervalMs ?? this.defaultIntervalMs, now);
    this.updateInfo(slot, record.address ?? undefined, record.tags, undefined);
    c.stateReason[slot] = REASON_CODE.get('registered') as number;
    if (isU32(record.incarnation ?? undefined)) c.incarnation[slot] = record.incarnation ?? NaN;
    if (isU32(record.lastSeq ?? undefined)) c.lastSeq[slot] = record.lastSeq ?? NaN;
    const state = record.state === undefined ? UNKNOWN : NODE_STATES.indexOf(record.state);
    if (record.state === undefined || state < 0) {
      this.queue.set(slot, now + this.startupGraceFor(slot));
      this.arm();
      return;
    }
    // Wall times of the stored record as this process's monotonic times.
    const wallNow = this.clock.wallMs();
    const mono = (wall: number | null | undefined): number =>
      wall === null || wall === undefined || !Number.isFinite(wall)
        ? NaN
        : now - Math.max(0, wallNow - wall);
    const reason = REASON_CODE.get(record.stateReason as TransitionReason);
    this.setState(slot, state, REASONS[reason ?? 0] as TransitionReason, now);
    c.stateSinceMs[slot] = Number.isNaN(mono(record.stateSinceWallMs))
      ? now
      : mono(record.stateSinceWallMs);
    c.failedSinceMs[slot] = mono(record.failedSinceWallMs);
    c.lastArrivalMs[slot] = mono(record.lastArrivalWallMs);
    c.lastArrivalWallMs[slot] = record.lastArrivalWallMs ?? NaN;
    c.heartbeats[slot] = record.heartbeats ?? 0;
    c.lost[slot] = record.lost ?? 0;
    c.duplicates[slot] = record.duplicates ?? 0;
    c.stale[slot] = record.stale ?? 0;
    if (record.payload !== undefined && record.payload !== null) {
      c.payloads[slot] = record.payload as Payload;
    }
    c.flags[slot] = FLAG_RESTORED;
    if (state === ALIVE || state === SUSPECT) {
      const detector = this.newDetector(slot);
      warmUp(detector, record.warmupMs ?? [], now);
      c.detectors[slot] = detector;
    }
    if (state === UNKNOWN) {
      this.queue.set(
        slot,
        Math.max(now, (c.stateSinceMs[slot] as number) + this.startupGraceFor(slot)),
      );
    } else if (state === ALIVE) {
      this.refreshDeadline(slot, (c.detectors[slot] as FailureDetector).suspectAtMs());
    } else if (state === SUSPECT) {
      this.queue.set(
        slot,
        Math.max(now, (c.stateSinceMs[slot] as number) + this.deadAfterFor(slot)),
      );
    } else if (this.forgetAfterMs !== undefined) {
      // dead or left: forgotten `forgetAfterMs` after it got there, restart or not
      this.queue.set(slot, Math.max(now, (c.stateSinceMs[slot] as number) + this.forgetAfterMs));
    }
    this.arm();
  }

  /**
   * What the store keeps of a node to restore it exactly (see `restore`), with wall-clock
   * times (monotonic times mean nothing to the next process); undefined for an unknown id.
   */
  lifecycle(nodeId: string): NodeLifecycle | undefined {
    const slot = this.slotById.get(nodeId);
    if (slot === undefined) return undefined;
    const c = this.cols;
    const now = this.clock.monotonicMs();
    const wallNow = this.clock.wallMs();
    const wall = (mono: number): number | null =>
      Number.isNaN(mono) ? null : wallNow - (now - mono);
    return {
      state: NODE_STATES[c.state[slot] as number] as NodeState,
      stateReason: REASONS[c.stateReason[slot] as number] as TransitionReason,
      stateSinceWallMs: wall(c.stateSinceMs[slot] as number) ?? wallNow,
      failedSinceWallMs: wall(c.failedSinceMs[slot] as number),
      lastArrivalWallMs: orNull(c.lastArrivalWallMs[slot] as number),
      heartbeats: c.heartbeats[slot] as number,
      lost: c.lost[slot] as number,
      duplicates: c.duplicates[slot] as number,
      stale: c.stale[slot] as number,
      payload: (c.payloads[slot] as Record<string, unknown> | null) ?? null,
      warmupMs: c.detectors[slot]?.recentIntervals?.(MAX_WARMUP_SAMPLES) ?? [],
    };
  }

  /**
   * Ids of up to `max` nodes changed by heartbeats (last-seen, counters, seq, payload) since they
   * were last taken, and marks them saved: what a periodic checkpoint writes. Transitions are
   * saved with the transition itself.
   */
  takeDirty(max: number): string[] {
    const ids: string[] = [];
    const c = this.cols;
    while (ids.length < max && this.dirtySlots.length > 0) {
      const slot = this.dirtySlots.pop() as number;
      if (((c.flags[slot] as number) & FLAG_DIRTY) === 0) continue;
      c.flags[slot] = (c.flags[slot] as number) & ~FLAG_DIRTY;
      const id = c.ids[slot];
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }

  /** Nodes changed since they were last taken by `takeDirty`. */
  get dirtyCount(): number {
    return this.dirtySlots.length;
  }

  /** Removes a node (emits `node:removed`); returns whether it was there. */
  remove(nodeId: string): boolean {
    const slot = this.slotById.get(nodeId);
    if (slot === undefined) return false;
    this.removeSlot(slot, 'removed', this.clock.monotonicMs());
    return true;
  }

  /** Drops a node from the table, emitting `node:removed` with `reason`. */
  private removeSlot(slot: number, reason: 'removed' | 'expired', now: number): void {
    const nodeId = this.cols.ids[slot] as string;
    const state = this.cols.state[slot] as number;
    const transition = this.wantsEvent('node:removed')
      ? this.buildTransition(slot, state, state, reason, now)
      : undefined;
    this.queue.delete(slot);
    this.slotById.delete(nodeId);
    this.bump(state, -1);
    this.cols.release(slot);
    this.freeSlots.push(slot);
    if (transition !== undefined) this.emit('node:removed', transition);
  }

  /** Applies a decoded message (heartbeat or leave). Unregistered senders join on first heartbeat. */
  receive(message: Message, from?: { address?: string }): ReceiveOutcome {
    if (this.stopped) return 'rejected-stopped';
    if (!isWellFormed(message)) {
      this.stats.rejectedInvalid++;
      return 'rejected-invalid';
    }
    return message.type === 'leave'
      ? this.receiveLeave(message, from?.address)
      : this.receiveHeartbeat(message, from?.address);
  }

  /**
   * A failure reported by the node itself or an operator: → dead with reason 'reported-failure',
   * at once (an explicit report is not subject to the pause guard). A later heartbeat recovers
   * the node. Returns false for an unknown node; true otherwise (also when already dead).
   */
  reportFailure(nodeId: string, note?: string): boolean {
    const slot = this.slotById.get(nodeId);
    if (slot === undefined) return false;
    if (this.stopped || this.cols.state[slot] === DEAD) return true;
    const now = this.clock.monotonicMs();
    this.queue.delete(slot);
    this.enterFailure(slot, DEAD, 'reported-failure', 'node:dead', now, note);
    return true;
  }

  /**
   * No conviction (→ suspect or dead) before `untilMs` (monotonic); deadlines falling earlier are
   * re-checked then. Called on monitor start and by the pause guard; a later call can only
   * extend the deferral. Emits `convictions:deferred`.
   */
  deferConvictions(untilMs: number, reason: string): void {
    this.defer(untilMs, reason, undefined);
  }

  get(nodeId: string): NodeSnapshot | undefined {
    const slot = this.slotById.get(nodeId);
    return slot === undefined ? undefined : this.snapshot(slot, this.clock.monotonicMs());
  }

  /** The evidence behind a node's verdict now (as transitions carry it), or undefined. */
  explain(nodeId: string): Evidence | undefined {
    const slot = this.slotById.get(nodeId);
    return slot === undefined ? undefined : this.evidence(slot, this.clock.monotonicMs());
  }

  /** The human status line of a node (see describeStatus); throws UnknownNodeError. */
  status(nodeId: string): string {
    const slot = this.slotById.get(nodeId);
    if (slot === undefined) throw new UnknownNodeError(nodeId);
    const c = this.cols;
    return describeStatus(
      {
        state: NODE_STATES[c.state[slot] as number] as NodeState,
        lastArrivalMs: orNull(c.lastArrivalMs[slot] as number),
        stateSinceMs: c.stateSinceMs[slot] as number,
        stateReason: REASONS[c.stateReason[slot] as number] as TransitionReason,
      },
      this.clock.monotonicMs(),
    );
  }

  /** Snapshots of all nodes, sorted by id. */
  list(): NodeSnapshot[] {
    const now = this.clock.monotonicMs();
    const ids = [...this.slotById.keys()].sort();
    return ids.map((id) => this.snapshot(this.slotById.get(id) as number, now));
  }

  /**
   * One page of a walk over the table in slot order, filtered by state, tag and id prefix; the
   * order lets a page start where the last ended without sorting or indexing the ids. A node
   * keeps its slot from the moment it enters the table until it is removed, so every node present
   * for the whole walk (from the first page to `next === null`) is on exactly one page, if it
   * matches the filters when its slot is reached; a node added or removed meanwhile may or may
   * not be. Costs O(slots looked at), at most `maxScan`, plus one snapshot per node returned.
   */
  page(query: NodePageQuery): NodePage {
    const c = this.cols;
    const end = this.nextSlot;
    const state = query.state === undefined ? -1 : NODE_STATES.indexOf(query.state);
    const { tag, prefix } = query;
    const stop = Math.min(end, (query.after ?? -1) + 1 + (query.maxScan ?? Infinity));
    const now = this.clock.monotonicMs();
    const nodes: NodeSnapshot[] = [];
    let slot = Math.max(0, (query.after ?? -1) + 1);
    for (; slot < stop && nodes.length < query.limit; slot++) {
      const id = c.ids[slot];
      if (id === undefined) continue;
      if (state >= 0 && c.state[slot] !== state) continue;
      if (prefix !== undefined && !id.startsWith(prefix)) continue;
      if (tag !== undefined && !(c.tags[slot] as readonly string[]).includes(tag)) continue;
      nodes.push(this.snapshot(slot, now));
    }
    return { nodes, next: slot < end ? slot - 1 : null };
  }

  counts(): Record<NodeState, number> {
    const [unknown, alive, suspect, dead, left] = this.stateCounts as [
      number,
      number,
      number,
      number,
      number,
    ];
    return { unknown, alive, suspect, dead, left };
  }

  counters(): NodeTableCounters {
    return { ...this.stats };
  }

  /** Monotonic ms before which convictions are deferred (-Infinity when never deferred). */
  get convictionsDeferredUntilMs(): number {
    return this.deferredUntilMs;
  }

  /** Cancels the timer; the table accepts no more work. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.armedDueMs = Infinity;
  }

  // --- messages ---------------------------------------------------------------------------

  private receiveHeartbeat(m: Message, address: string | undefined): ReceiveOutcome {
    const now = this.clock.monotonicMs();
    const c = this.cols;
    let slot = this.slotById.get(m.nodeId);
    if (slot === undefined) {
      if (this.slotById.size >= this.maxNodes) {
        this.stats.rejectedLimit++;
        return 'rejected-limit';
      }
      slot = this.allocate(m.nodeId, m.intervalMs ?? this.defaultIntervalMs, now);
      c.stateReason[slot] = REASON_CODE.get('first-heartbeat') as number;
      this.emitTransition('node:joined', slot, UNKNOWN, 'first-heartbeat', now);
    }
    const state = c.state[slot] as number;
    const history = this.historyOf(slot, now);
    const refused = this.refusedRuns.size === 0 ? undefined : this.refusedRuns.get(slot);
    history.refusedRun = refused?.run ?? 0;
    history.refusedRunSeq = refused?.seq ?? 0;
    const verdict = classifyArrival(history, m.incarnation, m.seq, signedAtMs(m));
    if (verdict.kind === 'duplicate') {
      this.stats.duplicates++;
      c.duplicates[slot] = (c.duplicates[slot] as number) + 1;
      return 'duplicate';
    }
    if (verdict.kind === 'stale' || verdict.kind === 'seq-jump') {
      if (verdict.run > 0) this.keepRefusedRun(slot, refused, verdict.run, m.seq as number);
      if (verdict.kind === 'seq-jump') {
        this.stats.seqJumps++;
        return 'seq-jump';
      }
      this.stats.stale++;
      c.stale[slot] = (c.stale[slot] as number) + 1;
      return 'stale';
    }
    if (refused !== undefined) this.refusedRuns.delete(slot);
    if (verdict.kind === 'resync') this.stats.resyncs++;
    if (address !== undefined && c.addresses[slot] !== address) c.addresses[slot] = address;
    if (m.payload !== undefined) c.payloads[slot] = m.payload;
    c.lastArrivalMs[slot] = now;
    c.lastArrivalWallMs[slot] = this.clock.wallMs();
    c.heartbeats[slot] = (c.heartbeats[slot] as number) + 1;

    const fresh = verdict.kind === 'restart' || state === LEFT || state === UNKNOWN;
    if (verdict.kind === 'restart' || state === LEFT) {
      // A new incarnation, or back after leaving: start over with a new detector.
      c.lost[slot] = 0;
      c.lastSeq[slot] = NaN;
      if (m.intervalMs !== undefined) c.intervalMs[slot] = m.intervalMs;
    } else if (verdict.gap > 0 && ((c.flags[slot] as number) & FLAG_RESTORED) === 0) {
      // (After a restore, the gap is what the monitor missed while down, not losses.)
      c.lost[slot] = (c.lost[slot] as number) + verdict.gap;
    }
    const flags = c.flags[slot] as number;
    if ((flags & FLAG_DIRTY) === 0) this.dirtySlots.push(slot);
    c.flags[slot] = (flags | FLAG_DIRTY) & ~FLAG_RESTORED;
    if (state === UNKNOWN && m.intervalMs !== undefined) c.intervalMs[slot] = m.intervalMs;
    if (m.incarnation !== undefined) c.incarnation[slot] = m.incarnation;
    if (m.seq !== undefined) c.lastSeq[slot] = m.seq;

    let detector = c.detectors[slot];
    if (fresh || detector === undefined) {
      detector?.dispose?.();
      detector = this.newDetector(slot);
      c.detectors[slot] = detector;
    }
    detector.heartbeat(now, m.seq);
    this.refreshDeadline(slot, detector.suspectAtMs());

    if (state === LEFT) {
      this.setState(slot, UNKNOWN, 'heartbeat', now);
      this.emitTransition('node:joined', slot, LEFT, 'heartbeat', now);
      this.changeState(slot, ALIVE, 'first-heartbeat', 'node:alive', now);
    } else if (verdict.kind === 'restart') {
      this.changeState(slot, ALIVE, 'restarted', 'node:restarted', now);
    } else if (state === UNKNOWN) {
      this.changeState(slot, ALIVE, 'first-heartbeat', 'node:alive', now);
    } else if (state === SUSPECT || state === DEAD) {
      const reason = c.heartbeats[slot] === 1 ? 'first-heartbeat' : 'heartbeat';
      this.changeState(slot, ALIVE, reason, 'node:recovered', now);
    }
    this.arm();
    return 'accepted';
  }

  private receiveLeave(m: Message, address: string | undefined): ReceiveOutcome {
    const now = this.clock.monotonicMs();
    const slot = this.slotById.get(m.nodeId);
    const c = this.cols;
    if (slot === undefined || c.state[slot] === LEFT) {
      this.stats.stale++;
      if (slot !== undefined) c.stale[slot] = (c.stale[slot] as number) + 1;
      return 'stale';
    }
    // The replay rules of heartbeats (arrival.ts): an old or repeated leave is refused.
    const verdict = classifyLeave(this.historyOf(slot, now), m.incarnation, m.seq, signedAtMs(m));
    if (verdict.kind === 'duplicate') {
      this.stats.duplicates++;
      c.duplicates[slot] = (c.duplicates[slot] as number) + 1;
      return 'duplicate';
    }
    if (verdict.kind === 'stale') {
      this.stats.stale++;
      c.stale[slot] = (c.stale[slot] as number) + 1;
      return 'stale';
    }
    if (verdict.kind === 'restart') c.lastSeq[slot] = m.seq ?? NaN;
    else if (verdict.kind === 'fresh' && m.seq !== undefined) c.lastSeq[slot] = m.seq;
    if (m.incarnation !== undefined) c.incarnation[slot] = m.incarnation;
    if (address !== undefined) c.addresses[slot] = address;
    this.queue.delete(slot);
    c.failedSinceMs[slot] = NaN;
    this.changeState(slot, LEFT, 'leave', 'node:left', now);
    // The detector's history ends here; a rejoin starts a new one.
    c.detectors[slot]?.dispose?.();
    c.detectors[slot] = undefined;
    this.arm();
    return 'left';
  }

  /** The scratch input of classifyArrival / classifyLeave filled for `slot` (runs left at 0). */
  private historyOf(slot: number, now: number): ArrivalHistory {
    const c = this.cols;
    const history = this.history;
    history.state = NODE_STATES[c.state[slot] as number] as NodeState;
    history.incarnation = orNull(c.incarnation[slot] as number);
    history.lastSeq = orNull(c.lastSeq[slot] as number);
    history.sinceLastMs = this.sinceLastMs(slot, now);
    history.intervalMs = c.intervalMs[slot] as number;
    history.refusedRun = 0;
    history.refusedRunSeq = 0;
    history.newestWallMs = orNull(c.lastArrivalWallMs[slot] as number);
    return history;
  }

  /** Ms since the node's newest accepted heartbeat, or null when none was heard. */
  private sinceLastMs(slot: number, now: number): number | null {
    const last = this.cols.lastArrivalMs[slot] as number;
    return Number.isNaN(last) ? null : now - last;
  }

  /** Keeps the run of refused heartbeats a `stale` or `seq-jump` verdict reports (arrival.ts). */
  private keepRefusedRun(
    slot: number,
    entry: { run: number; seq: number } | undefined,
    run: number,
    seq: number,
  ): void {
    if (entry === undefined) this.refusedRuns.set(slot, { run, seq });
    else {
      entry.run = run;
      entry.seq = seq;
    }
  }

  // --- deadlines and the one timer ----------------------------------------------------------

  /**
   * Keeps one timer, due at the earliest of the queue head and the end of a deferral. It is
   * re-armed only when that time moves earlier than the armed one (or nothing is left to wait
   * for); when it moves later the armed timer fires early, finds nothing due and re-arms, which
   * is cheaper than cancelling a timer on every heartbeat to the head node.
   */
  private arm(): void {
    if (this.stopped) return;
    const target = Math.max(this.queue.peekDueMs(), this.deferredUntilMs);
    if (target === Infinity) {
      if (this.timer !== undefined) {
        this.timer.cancel();
        this.timer = undefined;
        this.armedDueMs = Infinity;
      }
      return;
    }
    if (this.timer !== undefined && this.armedDueMs <= target) return;
    this.timer?.cancel();
    const now = this.clock.monotonicMs();
    // Lateness is measured from when the timer could have fired at the earliest.
    this.armedDueMs = Math.max(target, now);
    this.timer = this.clock.setTimeout(this.onTimerBound, this.armedDueMs - now);
  }

  /**
   * The timer callback. The pause guard: if it runs more than pauseToleranceMs after it was
   * due, the monitor itself was blind (stalled) for that long, so heartbeats may be waiting in
   * socket buffers; convictions are deferred by pauseGraceMs instead of made now. Otherwise
   * every deadline that is due is processed: a transition, or a re-check of a node heard from
   * since (at most MAX_TRANSITIONS_PER_TICK deadlines per callback, so heartbeats get read
   * between batches).
   */
  private onTimer(): void {
    const dueMs = this.armedDueMs;
    this.timer = undefined;
    this.armedDueMs = Infinity;
    if (this.stopped) return;
    const now = this.clock.monotonicMs();
    const lateMs = now - dueMs;
    if (lateMs > this.pauseToleranceMs) {
      this.stats.stalls++;
      this.defer(now + this.pauseGraceMs, 'stall', lateMs);
      this.arm();
      return;
    }
    if (now >= this.deferredUntilMs) {
      for (let budget = MAX_TRANSITIONS_PER_TICK; budget > 0; budget--) {
        if (this.queue.peekDueMs() > now) break;
        this.expire(this.queue.peekSlot(), now);
      }
    }
    this.arm();
  }

  /**
   * After a heartbeat the node is alive and its deadline is the detector's `suspectAtMs`. The
   * queue may keep an earlier deadline instead (lazy update): `expire` re-checks an alive node
   * against its detector and re-queues it, so an early deadline costs one spurious check, while
   * moving the deadline later on every heartbeat would cost a sift to the bottom of the heap each
   * time (the node heard from is usually the one with the earliest deadline). A deadline that
   * must move earlier, or a node without one, is updated at once.
   */
  private refreshDeadline(slot: number, suspectAtMs: number): void {
    const queued = this.queue.dueMs(slot);
    if (suspectAtMs === Infinity) this.queue.delete(slot);
    else if (queued === undefined || suspectAtMs < queued) this.queue.set(slot, suspectAtMs);
  }

  /** The deadline of `slot` passed at `now`: the next step of its lifecycle. */
  private expire(slot: number, now: number): void {
    const c = this.cols;
    const state = c.state[slot] as number;
    if (state === UNKNOWN) {
      this.queue.delete(slot);
      this.enterFailure(slot, DEAD, 'never-came-up', 'node:dead', now, undefined);
    } else if (state === ALIVE) {
      const suspectAtMs = c.detectors[slot]?.suspectAtMs() ?? Infinity;
      if (suspectAtMs > now) {
        // Heard from since this deadline was queued (see refreshDeadline): not due yet.
        if (suspectAtMs === Infinity) this.queue.delete(slot);
        else this.queue.set(slot, suspectAtMs);
        return;
      }
      this.queue.set(slot, now + this.deadAfterFor(slot));
      this.enterFailure(slot, SUSPECT, 'detector', 'node:suspect', now, undefined);
    } else if (state === SUSPECT) {
      this.queue.delete(slot);
      this.enterFailure(slot, DEAD, 'dead-grace-expired', 'node:dead', now, undefined);
    } else if ((state === DEAD || state === LEFT) && this.forgetAfterMs !== undefined) {
      // Dead or gone for `forgetAfterMs`: out of the live table (its history stays).
      this.removeSlot(slot, 'expired', now);
    } else {
      this.queue.delete(slot);
    }
  }

  private defer(untilMs: number, reason: string, lateMs: number | undefined): void {
    if (this.stopped || !(untilMs > this.deferredUntilMs)) return;
    this.deferredUntilMs = untilMs;
    this.emitter.emit('convictions:deferred', {
      atMs: this.clock.monotonicMs(),
      untilMs,
      reason,
      ...(lateMs === undefined ? {} : { lateMs }),
    });
    this.arm();
  }

  // --- state changes and events -----------------------------------------------------------

  private enterFailure(
    slot: number,
    to: number,
    reason: TransitionReason,
    event: 'node:suspect' | 'node:dead',
    now: number,
    note: string | undefined,
  ): void {
    const c = this.cols;
    if (Number.isNaN(c.failedSinceMs[slot] as number)) c.failedSinceMs[slot] = now;
    const last = c.lastArrivalMs[slot] as number;
    const extra: Partial<NodeTransition> = Number.isNaN(last) ? {} : { detectionMs: now - last };
    if (note !== undefined) extra.note = note;
    this.changeState(slot, to, reason, event, now, extra);
  }

  /** Moves `slot` to state `to` and emits `event` plus `transition`. */
  private changeState(
    slot: number,
    to: number,
    reason: TransitionReason,
    event: keyof NodeEvents & `node:${string}`,
    now: number,
    extra?: Partial<NodeTransition>,
  ): void {
    const c = this.cols;
    const from = c.state[slot] as number;
    let downForMs: number | undefined;
    if (to === ALIVE) {
      const failedSince = c.failedSinceMs[slot] as number;
      if (!Number.isNaN(failedSince)) downForMs = now - failedSince;
      c.failedSinceMs[slot] = NaN;
    }
    this.setState(slot, to, reason, now);
    if (!this.wantsEvent(event)) return;
    const transition = this.buildTransition(slot, from, to, reason, now);
    if (downForMs !== undefined) transition.downForMs = downForMs;
    if (extra !== undefined) Object.assign(transition, extra);
    this.emit(event, transition);
  }

  private setState(slot: number, to: number, reason: TransitionReason, now: number): void {
    const c = this.cols;
    this.bump(c.state[slot] as number, -1);
    this.bump(to, 1);
    c.state[slot] = to;
    c.stateReason[slot] = REASON_CODE.get(reason) as number;
    c.stateSinceMs[slot] = now;
    if ((to === DEAD || to === LEFT) && this.forgetAfterMs !== undefined) {
      this.queue.set(slot, now + this.forgetAfterMs);
    }
  }

  /** Emits a transition that does not change the state (`node:joined`). */
  private emitTransition(
    event: 'node:joined',
    slot: number,
    from: number,
    reason: TransitionReason,
    now: number,
  ): void {
    if (!this.wantsEvent(event)) return;
    this.emit(
      event,
      this.buildTransition(slot, from, this.cols.state[slot] as number, reason, now),
    );
  }

  private wantsEvent(event: keyof NodeEvents): boolean {
    return this.emitter.listenerCount(event) > 0 || this.emitter.listenerCount('transition') > 0;
  }

  private emit(event: keyof NodeEvents & `node:${string}`, transition: NodeTransition): void {
    this.emitter.emit(event, transition);
    this.emitter.emit('transition', transition);
  }

  private buildTransition(
    slot: number,
    from: number,
    to: number,
    reason: TransitionReason,
    now: number,
  ): NodeTransition {
    return {
      nodeId: this.cols.ids[slot] as string,
      from: NODE_STATES[from] as NodeState,
      to: NODE_STATES[to] as NodeState,
      reason,
      atMs: now,
      wallMs: this.clock.wallMs(),
      evidence: this.evidence(slot, now),
    };
  }

  private evidence(slot: number, now: number): Evidence {
    const c = this.cols;
    const last = c.lastArrivalMs[slot] as number;
    return {
      detector: c.detectors[slot]?.explain(now) ?? null,
      sinceLastMs: Number.isNaN(last) ? null : now - last,
      lastSeq: orNull(c.lastSeq[slot] as number),
      incarnation: orNull(c.incarnation[slot] as number),
      lost: c.lost[slot] as number,
    };
  }

  // --- slots ------------------------------------------------------------------------------

  private allocate(id: string, intervalMs: number, now: number): number {
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    this.refusedRuns.delete(slot);
    this.cols.init(slot, id, intervalMs, now);
    this.slotById.set(id, slot);
    this.bump(UNKNOWN, 1);
    return slot;
  }

  private bump(state: number, by: number): void {
    this.stateCounts[state] = (this.stateCounts[state] as number) + by;
  }

  private assertRunning(): void {
    if (this.stopped) throw new HeartbeatError('stopped', 'the node table was stopped');
  }

  private assertRoom(): void {
    if (this.slotById.size >= this.maxNodes) {
      throw new LimitError('MAX_NODES', `the node table is full (${this.maxNodes} nodes)`);
    }
  }

  private updateInfo(
    slot: number,
    address: string | undefined,
    tags: string[] | undefined,
    intervalMs: number | undefined,
  ): void {
    if (address !== undefined) this.cols.addresses[slot] = address;
    if (tags !== undefined) {
      this.cols.tags[slot] = tags.length === 0 ? NO_TAGS : Object.freeze([...tags]);
    }
    if (intervalMs !== undefined) this.cols.intervalMs[slot] = intervalMs;
  }

  /**
   * A detector for the node's current interval. A spec from `detectorFor` that the factory
   * refuses (or a throwing `detectorFor`) falls back to the default spec and is counted in
   * `detectorErrors`: a heartbeat never throws. The default spec was checked at construction.
   */
  private newDetector(slot: number): FailureDetector {
    const c = this.cols;
    const context = Object.create(this.contextBase) as DetectorContext;
    context.intervalMs = c.intervalMs[slot] as number;
    if (this.detectorFor !== undefined) {
      try {
        const spec = this.detectorFor(c.ids[slot] as string, c.tags[slot] as readonly string[]);
        if (spec !== undefined) return this.createDetector(spec, context);
      } catch {
        this.stats.detectorErrors++;
      }
    }
    return this.createDetector(this.detector, context);
  }

  private deadAfterFor(slot: number): number {
    return this.deadAfterMs ?? defaultDeadAfterMs(this.cols.intervalMs[slot] as number);
  }

  private startupGraceFor(slot: number): number {
    return this.startupGraceMs ?? defaultStartupGraceMs(this.cols.intervalMs[slot] as number);
  }

  private snapshot(slot: number, now: number): NodeSnapshot {
    const c = this.cols;
    const last = orNull(c.lastArrivalMs[slot] as number);
    const state = NODE_STATES[c.state[slot] as number] as NodeState;
    const stateReason = REASONS[c.stateReason[slot] as number] as TransitionReason;
    const stateSinceMs = c.stateSinceMs[slot] as number;
    return {
      id: c.ids[slot] as string,
      state,
      address: c.addresses[slot] ?? null,
      tags: [...(c.tags[slot] as readonly string[])],
      incarnation: orNull(c.incarnation[slot] as number),
      lastSeq: orNull(c.lastSeq[slot] as number),
      lastArrivalMs: last,
      lastArrivalWallMs: orNull(c.lastArrivalWallMs[slot] as number),
      sinceLastMs: last === null ? null : now - last,
      suspicion: c.detectors[slot]?.suspicion(now) ?? 0,
      intervalMs: c.intervalMs[slot] as number,
      heartbeats: c.heartbeats[slot] as number,
      lost: c.lost[slot] as number,
      duplicates: c.duplicates[slot] as number,
      stale: c.stale[slot] as number,
      payload: c.payloads[slot] ?? null,
      stateSinceMs,
      stateReason,
      status: describeStatus({ state, lastArrivalMs: last, stateSinceMs, stateReason }, now),
    };
  }
}

/** The protocol's node-id rule (validate.ts), as a ConfigError for register and restore. */
function checkId(id: unknown): void {
  const problem = checkNodeId(id);
  if (problem !== undefined) throw new ConfigError(`invalid node id: ${problem.message}`);
}

/** A registration's interval, by the protocol's one interval rule (validate.ts), as a ConfigError. */
function checkedInterval(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const problem = checkIntervalMs(value);
  if (problem !== undefined) throw new ConfigError(problem.message);
  return value;
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0 && Number.isFinite(value)))
    throw new ConfigError(`${name} must be a positive number of ms, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value >= 0 && Number.isFinite(value)))
    throw new ConfigError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

/**
 * Replays stored inter-arrival times into a new detector so that its last arrival is `nowMs`:
 * the detector expects the next heartbeat as if one had just arrived, with its learned spread.
 * Without samples it gets one arrival at `nowMs` (it starts from the node's interval).
 */
function warmUp(detector: FailureDetector, samplesMs: readonly number[], nowMs: number): void {
  let t = nowMs;
  for (const s of samplesMs) if (s > 0 && Number.isFinite(s)) t -= s;
  detector.heartbeat(t);
  for (const s of samplesMs) {
    if (!(s > 0 && Number.isFinite(s))) continue;
    t += s;
    detector.heartbeat(Math.min(t, nowMs));
  }
}
