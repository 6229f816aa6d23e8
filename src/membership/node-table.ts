/**
 * The node table: every node a monitor knows, its lifecycle state (unknown → alive → suspect →
 * dead, plus left), its detector, and one deadline per node in a single priority queue with a
 * single clock timer for the earliest one. A heartbeat costs one map lookup, one detector update
 * and one O(log n) queue update; nothing runs per node per tick. It applies what its parts
 * decide: arrival.ts what a heartbeat's seq means, lifecycle.ts what comes next for a node,
 * deadline-timer.ts when a deadline is due, node-columns.ts where a node is kept.
 * docs/MEMBERSHIP.md describes the states, the deadline queue, the pause guard and the memory
 * per node.
 */
import type { Clock } from '../core/clock.js';
import { TypedEmitter, rethrowLater } from '../core/emitter.js';
import { ConfigError, LimitError, StateError, UnknownNodeError } from '../core/errors.js';
import { MAX_NODES, MAX_WARMUP_SAMPLES } from '../core/limits.js';
import type { DetectorContext, FailureDetector } from '../detectors/detector.js';
import { SamplePool } from '../detectors/sample-pool.js';
import type { Message, Payload } from '../protocol/message.js';
import { checkIntervalMs, checkNodeId } from '../protocol/validate.js';
import { classifyArrival, classifyLeave, type ArrivalHistory } from './arrival.js';
import { DeadlineQueue } from './deadline-queue.js';
import { DeadlineTimer } from './deadline-timer.js';
import { describeStatus } from './describe-status.js';
import { defaultDetectorFactory, type DetectorFactory } from './detector-factory.js';
import {
  heartbeatStep,
  nextStep,
  stateDeadline,
  type DeadlineRule,
  type LifecycleEvent,
  type LifecycleFacts,
  type LifecycleStep,
} from './lifecycle.js';
import {
  ALIVE,
  DEAD,
  FLAG_RESTORED,
  LEFT,
  NO_TAGS,
  NodeColumns,
  REASON_CODE,
  STATE_CODE,
  SUSPECT,
  UNKNOWN,
} from './node-columns.js';
import {
  deadAfterFor,
  nonNegative,
  positive,
  resolveSettings,
  startupGraceFor,
  type NodeTableOptions,
  type ResolvedSettings,
  type TableSettings,
} from './table-settings.js';
import {
  NODE_STATES,
  TRANSITION_REASONS,
  type Evidence,
  type NodeEvents,
  type NodeLifecycle,
  type NodePage,
  type NodePageQuery,
  type NodeSnapshot,
  type NodeState,
  type NodeTransition,
  type RestoredNode,
  type TransitionEventName,
  type TransitionReason,
} from './types.js';

export type { NodeTableOptions, TableSettings } from './table-settings.js';

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

const MAX_U32 = 0xffff_ffff;

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

const isReason = (reason: unknown): reason is TransitionReason =>
  (TRANSITION_REASONS as readonly unknown[]).includes(reason);

export class NodeTable {
  private readonly clock: Clock;
  private readonly createDetector: DetectorFactory;
  private readonly emitter: TypedEmitter<NodeEvents>;
  private readonly queue = new DeadlineQueue();
  private readonly timer: DeadlineTimer;
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

  /** The timing and detector settings (from the constructor, then from `reconfigure`). */
  private settings: ResolvedSettings;
  private readonly maxNodes: number;
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
  /** Scratch input of nextStep; `forgets` follows the settings, the rest is set per question. */
  private readonly facts: LifecycleFacts = {
    suspected: false,
    firstHeartbeat: false,
    forgets: false,
  };

  constructor(components: NodeTableComponents, init: NodeTableOptions = {}) {
    this.clock = components.clock;
    this.createDetector = components.createDetector ?? defaultDetectorFactory;
    const onListenerError = init.onListenerError ?? rethrowLater;
    this.emitter = new TypedEmitter<NodeEvents>((error) => {
      this.stats.listenerErrors++;
      onListenerError(error);
    });
    this.settings = this.checked(resolveSettings(init));
    this.facts.forgets = this.settings.forgetAfterMs !== undefined;
    this.timer = new DeadlineTimer(
      this.clock,
      this.queue,
      {
        due: (slot, now) => this.due(slot, now),
        stalled: () => {
          this.stats.stalls++;
        },
        deferred: (event) => this.emitter.emit('convictions:deferred', event),
      },
      this.settings,
    );
    this.maxNodes = Math.min(MAX_NODES, nonNegative('maxNodes', init.maxNodes) ?? MAX_NODES);
  }

  /** Refuses a bad default detector spec now (ConfigError) rather than on a first heartbeat. */
  private checked(settings: ResolvedSettings): ResolvedSettings {
    this.createDetector(settings.detector, { intervalMs: settings.defaultIntervalMs }).dispose?.();
    return settings;
  }

  /**
   * New settings for a running table (a configuration reload), without a transition of its
   * own: deadlines are recomputed from each node's own times under the new settings, and with
   * `replaceDetectors` every node's detector is rebuilt from the new spec, warmed with the old
   * one's intervals and its real last arrival (docs/CONFIG.md, "Reloading"). Takes time in the
   * number of nodes (one pass). Throws ConfigError, changing nothing, for bad settings.
   */
  reconfigure(init: TableSettings, replaceDetectors: boolean): void {
    this.assertRunning('reconfigure');
    this.settings = this.checked(resolveSettings(init));
    this.timer.settings = this.settings;
    this.facts.forgets = this.settings.forgetAfterMs !== undefined;
    const c = this.cols;
    const now = this.clock.monotonicMs();
    for (const slot of c.slotById.values()) {
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
    this.timer.arm();
  }

  on<K extends keyof NodeEvents>(name: K, listener: (e: NodeEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  get size(): number {
    return this.cols.size;
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
    this.assertRunning('register a node');
    checkId(nodeId);
    const intervalMs = checkedInterval(info.intervalMs);
    const existing = this.cols.slotById.get(nodeId);
    if (existing !== undefined) {
      this.updateInfo(existing, info.address, info.tags, intervalMs);
      return this.snapshot(existing, this.clock.monotonicMs());
    }
    this.assertRoom();
    const now = this.clock.monotonicMs();
    const slot = this.allocate(nodeId, intervalMs ?? this.settings.defaultIntervalMs, now);
    this.updateInfo(slot, info.address, info.tags, undefined);
    this.cols.stateReason[slot] = REASON_CODE.registered;
    this.setDeadline(slot, 'startup-grace', now, now);
    this.emitTransition('node:joined', slot, UNKNOWN, 'registered', now);
    this.timer.arm();
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
    this.assertRunning('restore a node');
    checkId(record.id);
    const intervalMs = positive('intervalMs', record.intervalMs);
    const c = this.cols;
    const existing = c.slotById.get(record.id);
    if (existing !== undefined) {
      this.updateInfo(existing, record.address ?? undefined, record.tags, undefined);
      return;
    }
    this.assertRoom();
    const now = this.clock.monotonicMs();
    const slot = this.allocate(record.id, intervalMs ?? this.settings.defaultIntervalMs, now);
    this.updateInfo(slot, record.address ?? undefined, record.tags, undefined);
    c.stateReason[slot] = REASON_CODE.registered;
    if (isU32(record.incarnation ?? undefined)) c.incarnation[slot] = record.incarnation ?? NaN;
    if (isU32(record.lastSeq ?? undefined)) c.lastSeq[slot] = record.lastSeq ?? NaN;
    const state = record.state === undefined ? -1 : NODE_STATES.indexOf(record.state);
    if (state >= 0) this.restoreLifecycle(slot, state, record, now);
    this.requeue(slot, now);
    this.timer.arm();
  }

  /** The stored lifecycle of a restored node, its wall times as this process's monotonic ones. */
  private restoreLifecycle(slot: number, state: number, record: RestoredNode, now: number): void {
    const c = this.cols;
    const wallNow = this.clock.wallMs();
    const mono = (wall: number | null | undefined): number =>
      wall === null || wall === undefined || !Number.isFinite(wall)
        ? NaN
        : now - Math.max(0, wallNow - wall);
    c.setState(slot, state, isReason(record.stateReason) ? record.stateReason : 'registered', now);
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
  }

  /**
   * What the store keeps of a node to restore it exactly (see `restore`), with wall-clock
   * times (monotonic times mean nothing to the next process); undefined for an unknown id.
   */
  lifecycle(nodeId: string): NodeLifecycle | undefined {
    const slot = this.cols.slotById.get(nodeId);
    if (slot === undefined) return undefined;
    const c = this.cols;
    const now = this.clock.monotonicMs();
    const wallNow = this.clock.wallMs();
    const wall = (mono: number): number | null =>
      Number.isNaN(mono) ? null : wallNow - (now - mono);
    return {
      state: NODE_STATES[c.state[slot] as number] as NodeState,
      stateReason: TRANSITION_REASONS[c.stateReason[slot] as number] as TransitionReason,
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
    return this.cols.takeDirty(max);
  }

  /** Nodes changed since they were last taken by `takeDirty`. */
  get dirtyCount(): number {
    return this.cols.dirtyCount;
  }

  /** Removes a node (emits `node:removed`); returns whether it was there. */
  remove(nodeId: string): boolean {
    const slot = this.cols.slotById.get(nodeId);
    if (slot === undefined) return false;
    this.apply(slot, this.stepOf(slot, 'remove'), this.clock.monotonicMs(), undefined);
    return true;
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
    const slot = this.cols.slotById.get(nodeId);
    if (slot === undefined) return false;
    if (this.stopped) return true;
    this.apply(slot, this.stepOf(slot, 'report'), this.clock.monotonicMs(), note);
    this.timer.arm();
    return true;
  }

  /**
   * No conviction (→ suspect or dead) before `untilMs` (monotonic); deadlines falling earlier are
   * re-checked then. Called on monitor start and by the pause guard; a later call can only
   * extend the deferral. Emits `convictions:deferred`.
   */
  deferConvictions(untilMs: number, reason: string): void {
    this.timer.defer(untilMs, reason);
  }

  get(nodeId: string): NodeSnapshot | undefined {
    const slot = this.cols.slotById.get(nodeId);
    return slot === undefined ? undefined : this.snapshot(slot, this.clock.monotonicMs());
  }

  /** The evidence behind a node's verdict now (as transitions carry it), or undefined. */
  explain(nodeId: string): Evidence | undefined {
    const slot = this.cols.slotById.get(nodeId);
    return slot === undefined ? undefined : this.evidence(slot, this.clock.monotonicMs());
  }

  /** The human status line of a node (see describeStatus); throws UnknownNodeError. */
  status(nodeId: string): string {
    const slot = this.cols.slotById.get(nodeId);
    if (slot === undefined) throw new UnknownNodeError(nodeId);
    const c = this.cols;
    return describeStatus(
      {
        state: NODE_STATES[c.state[slot] as number] as NodeState,
        lastArrivalMs: orNull(c.lastArrivalMs[slot] as number),
        stateSinceMs: c.stateSinceMs[slot] as number,
        stateReason: TRANSITION_REASONS[c.stateReason[slot] as number] as TransitionReason,
      },
      this.clock.monotonicMs(),
    );
  }

  /** Snapshots of all nodes, sorted by id. */
  list(): NodeSnapshot[] {
    const now = this.clock.monotonicMs();
    const slotById = this.cols.slotById;
    const ids = [...slotById.keys()].sort();
    return ids.map((id) => this.snapshot(slotById.get(id) as number, now));
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
    const end = c.end;
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
    return this.cols.counts();
  }

  counters(): NodeTableCounters {
    return { ...this.stats };
  }

  /** Monotonic ms before which convictions are deferred (-Infinity when never deferred). */
  get convictionsDeferredUntilMs(): number {
    return this.timer.deferredUntilMs;
  }

  /** Cancels the timer; the table accepts no more work. */
  stop(): void {
    this.stopped = true;
    this.timer.stop();
  }

  // --- messages ---------------------------------------------------------------------------

  private receiveHeartbeat(m: Message, address: string | undefined): ReceiveOutcome {
    const now = this.clock.monotonicMs();
    const c = this.cols;
    const slot = c.slotById.get(m.nodeId) ?? this.join(m, now);
    if (slot < 0) return 'rejected-limit';
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
    c.markHeard(slot);
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

    const step = heartbeatStep(history.state, verdict.kind === 'restart', c.heartbeats[slot] === 1);
    // Most heartbeats only move the deadline: that step is taken here, small enough for the
    // compiler to inline into this hot path; the others go through `apply`.
    if (step.reason === null && step.deadline === 'suspect-at') {
      this.refreshDeadline(slot, detector.suspectAtMs());
    } else this.apply(slot, step, now);
    this.timer.arm();
    return 'accepted';
  }

  /** A heartbeat from a node not in the table: its slot, or -1 when the table is full. */
  private join(m: Message, now: number): number {
    if (this.cols.size >= this.maxNodes) {
      this.stats.rejectedLimit++;
      return -1;
    }
    const slot = this.allocate(m.nodeId, m.intervalMs ?? this.settings.defaultIntervalMs, now);
    this.cols.stateReason[slot] = REASON_CODE['first-heartbeat'];
    this.emitTransition('node:joined', slot, UNKNOWN, 'first-heartbeat', now);
    return slot;
  }

  private receiveLeave(m: Message, address: string | undefined): ReceiveOutcome {
    const now = this.clock.monotonicMs();
    const c = this.cols;
    const slot = c.slotById.get(m.nodeId);
    if (slot === undefined) {
      this.stats.stale++;
      return 'stale';
    }
    const step = this.stepOf(slot, 'leave');
    if (step.event === null) {
      // Already gone.
      this.stats.stale++;
      c.stale[slot] = (c.stale[slot] as number) + 1;
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
    this.apply(slot, step, now);
    // The detector's history ends here; a rejoin starts a new one.
    c.detectors[slot]?.dispose?.();
    c.detectors[slot] = undefined;
    this.timer.arm();
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

  // --- the lifecycle and deadlines ----------------------------------------------------------

  /** The lifecycle's answer for `slot` on `event`, with the facts as set by the caller. */
  private stepOf(slot: number, event: LifecycleEvent): LifecycleStep {
    return nextStep(NODE_STATES[this.cols.state[slot] as number] as NodeState, event, this.facts);
  }

  /** The deadline of `slot` passed at `now` (the deadline timer's `due`). */
  private due(slot: number, now: number): void {
    if (this.cols.state[slot] === ALIVE) {
      this.facts.suspected = (this.cols.detectors[slot]?.suspectAtMs() ?? Infinity) <= now;
    }
    this.apply(slot, this.stepOf(slot, 'deadline'), now);
  }

  /**
   * Takes a lifecycle step at `now`: the node's next deadline first, then its state, then the
   * events (a rejoin's `node:joined` before the step's own). The caller re-arms the timer.
   */
  private apply(slot: number, step: LifecycleStep, now: number, note?: string): void {
    if (step.removes) {
      this.removeSlot(slot, step.reason as 'removed' | 'expired', now);
      return;
    }
    this.setDeadline(slot, step.deadline, now, now);
    if (step.reason === null) return;
    if (step.rejoins) {
      this.cols.setState(slot, UNKNOWN, 'heartbeat', now);
      this.emitTransition('node:joined', slot, LEFT, 'heartbeat', now);
    }
    const event = step.event as TransitionEventName;
    this.changeState(slot, STATE_CODE[step.to], step.reason, event, now, note);
  }

  /** The deadline of `slot` from its own times and the current settings (restore, reload). */
  private requeue(slot: number, now: number): void {
    const c = this.cols;
    const state = NODE_STATES[c.state[slot] as number] as NodeState;
    this.setDeadline(
      slot,
      stateDeadline(state, this.facts.forgets),
      c.stateSinceMs[slot] as number,
      now,
    );
  }

  /**
   * Queues the deadline `rule` names (lifecycle.ts), counting from `sinceMs`, when the node
   * entered its state, and never before `now`. After a heartbeat (`suspect-at`) the queue may
   * keep an earlier deadline instead (lazy update): a due deadline re-checks an alive node
   * against its detector (`recheck`), so an early deadline costs one spurious check, while moving
   * the deadline later on every heartbeat would cost a sift to the bottom of the heap each time
   * (the node heard from is usually the one with the earliest deadline). A deadline that must
   * move earlier, or a node without one, is updated at once.
   */
  private setDeadline(slot: number, rule: DeadlineRule, sinceMs: number, now: number): void {
    const queue = this.queue;
    const c = this.cols;
    switch (rule) {
      case 'suspect-at':
        this.refreshDeadline(slot, c.detectors[slot]?.suspectAtMs() ?? Infinity);
        return;
      case 'keep':
        return;
      case 'none':
        queue.delete(slot);
        return;
      case 'startup-grace':
        queue.set(slot, Math.max(now, sinceMs + this.startupGraceFor(slot)));
        return;
      case 'recheck': {
        const suspectAtMs = c.detectors[slot]?.suspectAtMs() ?? Infinity;
        if (suspectAtMs === Infinity) queue.delete(slot);
        else queue.set(slot, suspectAtMs);
        return;
      }
      case 'dead-grace':
        queue.set(slot, Math.max(now, sinceMs + this.deadAfterFor(slot)));
        return;
      case 'forget': {
        const forgetAfterMs = this.settings.forgetAfterMs;
        if (forgetAfterMs === undefined) queue.delete(slot);
        else queue.set(slot, Math.max(now, sinceMs + forgetAfterMs));
        return;
      }
    }
  }

  /** The `suspect-at` rule: the detector's time, a queued deadline moved only earlier. */
  private refreshDeadline(slot: number, suspectAtMs: number): void {
    if (suspectAtMs === Infinity) this.queue.delete(slot);
    else this.queue.setEarlier(slot, suspectAtMs);
  }

  // --- state changes and events -----------------------------------------------------------

  /**
   * Moves `slot` to state `to` and emits `event` plus `transition`. Into alive: how long the
   * node was failed (`downForMs`); into suspect or dead: when the failure began and how long
   * after the last heartbeat it was detected (`detectionMs`).
   */
  private changeState(
    slot: number,
    to: number,
    reason: TransitionReason,
    event: TransitionEventName,
    now: number,
    note: string | undefined,
  ): void {
    const c = this.cols;
    const from = c.state[slot] as number;
    let downForMs: number | undefined;
    let detectionMs: number | undefined;
    if (to === ALIVE) {
      const failedSince = c.failedSinceMs[slot] as number;
      if (!Number.isNaN(failedSince)) downForMs = now - failedSince;
      c.failedSinceMs[slot] = NaN;
    } else if (to === SUSPECT || to === DEAD) {
      if (Number.isNaN(c.failedSinceMs[slot] as number)) c.failedSinceMs[slot] = now;
      const last = c.lastArrivalMs[slot] as number;
      if (!Number.isNaN(last)) detectionMs = now - last;
    } else if (to === LEFT) {
      c.failedSinceMs[slot] = NaN;
    }
    c.setState(slot, to, reason, now);
    if (!this.wantsEvent(event)) return;
    const transition = this.buildTransition(slot, from, to, reason, now);
    if (downForMs !== undefined) transition.downForMs = downForMs;
    if (detectionMs !== undefined) transition.detectionMs = detectionMs;
    if (note !== undefined) transition.note = note;
    this.emit(event, transition);
  }

  /** Drops a node from the table, emitting `node:removed` with `reason`. */
  private removeSlot(slot: number, reason: 'removed' | 'expired', now: number): void {
    const state = this.cols.state[slot] as number;
    const transition = this.wantsEvent('node:removed')
      ? this.buildTransition(slot, state, state, reason, now)
      : undefined;
    this.queue.delete(slot);
    this.cols.free(slot);
    if (transition !== undefined) this.emit('node:removed', transition);
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

  private emit(event: TransitionEventName, transition: NodeTransition): void {
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
    const slot = this.cols.allocate(id, intervalMs, now);
    this.refusedRuns.delete(slot);
    return slot;
  }

  /** StateError once stopped: the table takes no more work. */
  private assertRunning(action: string): void {
    if (this.stopped) throw new StateError('node table', 'stopped', action);
  }

  private assertRoom(): void {
    if (this.cols.size >= this.maxNodes) {
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
    const { detectorFor } = this.settings;
    if (detectorFor !== undefined) {
      try {
        const spec = detectorFor(c.ids[slot] as string, c.tags[slot] as readonly string[]);
        if (spec !== undefined) return this.createDetector(spec, context);
      } catch {
        this.stats.detectorErrors++;
      }
    }
    return this.createDetector(this.settings.detector, context);
  }

  private deadAfterFor(slot: number): number {
    return deadAfterFor(this.settings, this.cols.intervalMs[slot] as number);
  }

  private startupGraceFor(slot: number): number {
    return startupGraceFor(this.settings, this.cols.intervalMs[slot] as number);
  }

  private snapshot(slot: number, now: number): NodeSnapshot {
    const c = this.cols;
    const last = orNull(c.lastArrivalMs[slot] as number);
    const state = NODE_STATES[c.state[slot] as number] as NodeState;
    const stateReason = TRANSITION_REASONS[c.stateReason[slot] as number] as TransitionReason;
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
