/**
 * The monitor: listeners feed decoded heartbeats to one node table; its transitions go through
 * the transition journal, which stores each turn's worth in one history transaction and only
 * then announces them to the action sink, the SSE stream, the metrics and `monitor.on`
 * listeners (nothing is announced before it is stored). The pause guard (stall watchdog plus
 * the table's late-timer check) keeps a stalled monitor from convicting healthy nodes.
 *
 * Assembled from parts (parts.ts) passed in as components: listeners, the HTTP part, the
 * history store and the action sink; it builds none of them. `createMonitor` (src/daemon/)
 * wires the defaults from a configuration. Embeddable: `new Monitor({ clock, … }, config)`,
 * `start()`, `on('node:dead', …)`, `stop()`.
 */
import type { ActionStats } from '../actions/action-runner.js';
import type { MonitorConfig, NodeGroup } from '../config/types.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { TypedEmitter } from '../core/emitter.js';
import { StateError } from '../core/errors.js';
import { isDeepStrictEqual } from 'node:util';
import { NodeTable, type ReceiveOutcome, type TableSettings } from '../membership/node-table.js';
import type { NodeEvents, NodeSnapshot, NodeTransition } from '../membership/types.js';
import { ConfigError } from '../core/errors.js';
import { Keyring, type KeySpec } from '../protocol/keyring.js';
import type { Message } from '../protocol/message.js';
import type { HistoryStore, NodeRecord, StoreBatch } from '../store/history-store.js';
import type {
  HeartbeatListener,
  ListenerFactory,
  ListenerSink,
  Peer,
} from '../transport/listener.js';
import type { UdpKernelStats } from '../transport/udp-kernel-stats.js';
import { ArrivalRecorder } from './arrival-recorder.js';
import { ArrivalWatch } from './arrival-watch.js';
import { detectorForGroups, matchesGroup } from './detector-groups.js';
import {
  isNodeEventName,
  TRANSITION_EVENT_NAMES,
  type MonitorEvents,
  type MonitorOwnEvents,
  type RejectEvent,
} from './events.js';
import { IngestStats, type IngestSnapshot, type Transport } from './ingest-stats.js';
import type { ActionSink, HttpPart, HttpPartFactory, StoreFactory } from './parts.js';
import { StallWatchdog, type StallEvent } from './stall-watchdog.js';
import {
  TransitionJournal,
  type JournalStats,
  type TransitionEventName,
  type TransitionJournalOptions,
} from './transition-journal.js';

/** The parts the monitor is assembled from; only the clock is required. */
export interface MonitorComponents {
  clock: Clock;
  /** Opens the history store at start. @default none: transitions are announced, not kept. */
  store?: StoreFactory;
  /** The heartbeat listeners (UDP, TCP, …), started in order. @default none */
  listeners?: readonly ListenerFactory[];
  /** The HTTP API and push pings. @default none */
  http?: HttpPartFactory<Monitor>;
  /** Acts on announced transitions (exec hooks, webhooks), as configured. @default none */
  actions?: (components: { clock: Clock; config: MonitorConfig }) => ActionSink;
  /**
   * Reads the keys of `config.keyFile` (src/config/key-file.ts), at construction and on every
   * reload; throws ConfigError. @default none: a configuration with a key file is refused.
   */
  readKeys?: (file: string) => readonly KeySpec[];
}

export interface MonitorOptions {
  /** How often the stall watchdog ticks. @default 100 (see StallWatchdog) */
  stallCheckPeriodMs?: number;
  /**
   * How often nodes changed by heartbeats (last-seen, counters, seq, detector warm-up) are saved
   * to the store; transitions are saved as they happen, and everything at `stop()`. After a
   * SIGKILL a restart restores what the last checkpoint held. @default 10_000
   */
  checkpointMs?: number;
  /** Options of the transition journal (how many entries it holds before committing early). */
  journal?: TransitionJournalOptions;
}

/**
 * What `ingest` made of a message: the node table's outcome, or, before the table, a refusal of
 * the monitor's own: `unauthenticated` (keys are configured and the message carried no MAC, nor
 * is its node in a group that allows it), `clock-skew` (an authenticated message sent further
 * from the monitor's wall clock than maxClockSkewMs: a replay, or a clock to fix).
 */
export type IngestOutcome = ReceiveOutcome | 'unauthenticated' | 'clock-skew';

/** What a reload changed, and what it could not (those need a restart). */
export interface ReloadOutcome {
  applied: (keyof MonitorConfig)[];
  needRestart: (keyof MonitorConfig)[];
}

/** What a reload cannot change: bound sockets, the open store, the open recording. */
const RESTART_FIELDS: readonly (keyof MonitorConfig)[] = [
  'host',
  'udpPort',
  'tcpPort',
  'httpPort',
  'dataPath',
  'recordPath',
];

/** The groups that set allowUnauthenticated, in order. */
function openGroupsOf(config: MonitorConfig): NodeGroup[] {
  return config.groups.filter((g) => g.allowUnauthenticated !== undefined);
}

/** The node table's settings from a configuration. */
function tableSettings(config: MonitorConfig): TableSettings {
  return {
    detector: config.detector,
    detectorFor: config.groups.length > 0 ? detectorForGroups(config.groups) : undefined,
    defaultIntervalMs: config.defaultIntervalMs,
    deadAfterMs: config.deadAfterMs,
    startupGraceMs: config.startupGraceMs,
    pauseToleranceMs: config.pauseGuard.toleranceMs,
    pauseGraceMs: config.pauseGuard.graceMs,
    forgetAfterMs: config.retention.forgetAfterMs ?? undefined,
  };
}

/** Bound ports; null for a listener the configuration disables. */
export interface MonitorPorts {
  udpPort: number | null;
  tcpPort: number | null;
  httpPort: number | null;
}

/** Registration of an expected node (POST /v1/nodes). */
export interface NodeRegistration {
  address?: string;
  tags?: string[];
  intervalMs?: number;
}

/** Everything counted, for GET /v1/stats and the CLI. */
export interface MonitorStats {
  ingest: IngestSnapshot;
  nodes: number;
  stalls: { stalls: number; stalledMs: number; longestMs: number };
  /** Deferrals of convictions by reason (`start`, `stall`, …), counted from the node table. */
  deferrals: Record<string, number>;
  /** Failures the monitor survived, by where (`store`, `actions`, `recorder`, `listener`). */
  errors: Record<string, number>;
  recording: { lines: number; dropped: number; error: string | null } | null;
  /** Commits of the transition journal; `unstored` waits for a store that could not be written. */
  journal: JournalStats;
  actions: ActionStats | null;
  uptimeMs: number;
}

type Listener<T> = (event: T) => void;

/** The events announced once stored: every node-lifecycle event and `transition`. */
type AnnouncedEvents = Pick<NodeEvents, TransitionEventName | 'transition'>;

/** Nodes one checkpoint turn saves before yielding to the event loop. */
const CHECKPOINT_CHUNK = 5000;
/** How often old history is pruned, and at most how many rows per turn. */
const PRUNE_PERIOD_MS = 60_000;
const PRUNE_CHUNK = 10_000;

export class Monitor {
  readonly clock: Clock;
  private current: MonitorConfig;
  readonly table: NodeTable;
  /** Recent arrivals of the nodes someone looks at (GET /v1/nodes/:id/arrivals); empty otherwise. */
  readonly arrivals: ArrivalWatch;
  private readonly emitter = new TypedEmitter<MonitorOwnEvents>();
  /** Transitions as announced: after the journal stored them, in the table's order. */
  private readonly announced = new TypedEmitter<AnnouncedEvents>((error) =>
    this.fail('listener', error),
  );
  private readonly journal: TransitionJournal;
  private readonly ingestStats = new IngestStats();
  private readonly watchdog: StallWatchdog;
  private readonly parts: MonitorComponents;
  private readonly http: HttpPart | null;
  private readonly sink: ListenerSink;
  /**
   * The keys authenticated messages are checked against, shared with the listeners and changed
   * in place by `reload` (from `config.keyFile`). Empty: no keys, everything is accepted.
   */
  readonly keyring: Keyring;
  /** The groups that say whether a node may send unauthenticated heartbeats. */
  private openGroups: NodeGroup[];
  private readonly registeredIds = new Set<string>();
  private readonly deferrals = new Map<string, number>();
  private readonly errorCounts = new Map<string, number>();
  private store: HistoryStore | null = null;
  private actions: ActionSink | null = null;
  private recorder: ArrivalRecorder | null = null;
  private listeners: HeartbeatListener[] = [];
  private startedAtMs: number | null = null;
  private readonly checkpointMs: number;
  private checkpointTimer: TimerHandle | null = null;
  private pruneTimer: TimerHandle | null = null;
  private pruning = false;
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';

  constructor(components: MonitorComponents, config: MonitorConfig, init: MonitorOptions = {}) {
    this.clock = components.clock;
    this.parts = components;
    this.current = config;
    this.checkpointMs = Math.max(1, init.checkpointMs ?? 10_000);
    this.keyring = new Keyring(this.keysOf(config));
    this.openGroups = openGroupsOf(config);
    this.table = new NodeTable(
      { clock: this.clock },
      // A throw from one of the monitor's own table listeners is a bug: counted and emitted as
      // `monitor:error`, never a crash of the detection path.
      { ...tableSettings(config), onListenerError: (error) => this.fail('listener', error) },
    );
    this.arrivals = new ArrivalWatch({ clock: this.clock });
    this.table.on('node:removed', (t) => this.arrivals.forget(t.nodeId));
    this.watchdog = new StallWatchdog(
      { clock: this.clock, onStall: (s) => this.onStall(s) },
      {
        periodMs: init.stallCheckPeriodMs,
        toleranceMs: config.pauseGuard.toleranceMs,
        graceMs: config.pauseGuard.graceMs,
      },
    );
    this.sink = {
      onMessage: (message, from) => {
        try {
          this.ingest(message, from);
        } catch (error) {
          // Nothing a sender does may throw out of a listener; a throw here is a bug, counted.
          this.reject(from.transport, 'internal', from.address);
          this.guard('ingest', () => {
            throw error;
          });
        }
      },
      onReject: (reason, from) => this.reject(from.transport, reason, from.address),
    };
    this.journal = new TransitionJournal(
      {
        clock: this.clock,
        commit: (batch) => this.commit(batch),
        announce: (event, t, id) => this.announce(event, t, id),
        onError: (stage, error) => this.fail(stage === 'commit' ? 'store' : 'listener', error),
        onStoreState: (state) => this.emitter.emit('monitor:store', state),
      },
      init.journal,
    );
    for (const name of TRANSITION_EVENT_NAMES) {
      this.table.on(name, (t) => this.onTransition(name, t));
    }
    this.table.on('convictions:deferred', (d) => {
      this.deferrals.set(d.reason, (this.deferrals.get(d.reason) ?? 0) + 1);
    });
    // Created now so that its metrics count from the start, even before the port is bound.
    this.http = components.http?.({ monitor: this }) ?? null;
  }

  /**
   * Subscribes to a node-lifecycle or monitor event; returns the unsubscribe function.
   * Transitions (`node:dead`, …, `transition`) arrive once they are stored in the history, in
   * order, on the turn of the event loop after the node table made them (one zero-delay clock
   * timer for all of that turn's transitions). `monitor.table.on(…)` gives them synchronously,
   * before they are stored.
   */
  on<K extends keyof MonitorEvents>(name: K, listener: Listener<MonitorEvents[K]>): () => void {
    if (name === 'transition' || (TRANSITION_EVENT_NAMES as readonly string[]).includes(name)) {
      return this.announced.on(
        name as keyof AnnouncedEvents,
        listener as unknown as Listener<NodeTransition>,
      );
    }
    if (isNodeEventName(name)) {
      // Not a transition (`convictions:deferred`): straight from the table's own emitter.
      return this.table.on(name, listener as Listener<NodeEvents[typeof name]>);
    }
    return this.emitter.on(
      name as keyof MonitorOwnEvents,
      listener as Listener<MonitorOwnEvents[keyof MonitorOwnEvents]>,
    );
  }

  /** The configuration in force (the last one `reload` applied). */
  get config(): MonitorConfig {
    return this.current;
  }

  /**
   * Applies a new configuration to the running monitor, as SIGHUP does: detectors, groups,
   * timings, pause guard, retention and actions change at once, without a transition of their
   * own (each node's deadlines are recomputed from its own times; new detectors start warm from
   * the old ones' intervals) and with convictions held for one pause-guard grace. Listeners,
   * ports, the host, the store and the recording stay as they are until a restart: they are
   * named in `needRestart`. Throws ConfigError, changing nothing, when the table refuses the
   * new settings.
   */
  async reload(next: MonitorConfig): Promise<ReloadOutcome> {
    if (this.state !== 'running') throw new StateError('monitor', this.state, 'reload');
    const before = this.current;
    const differs = (key: keyof MonitorConfig): boolean =>
      !isDeepStrictEqual(before[key], next[key]);
    const needRestart = RESTART_FIELDS.filter(differs);
    const kept: Partial<MonitorConfig> = {};
    for (const key of RESTART_FIELDS) Object.assign(kept, { [key]: before[key] });
    const config: MonitorConfig = { ...next, ...kept };
    const applied = (Object.keys(config) as (keyof MonitorConfig)[]).filter(
      (key) => !RESTART_FIELDS.includes(key) && differs(key),
    );
    const replaceDetectors =
      differs('detector') || differs('groups') || differs('defaultIntervalMs');
    // The key file is read again whether or not its name changed: SIGHUP is how keys rotate.
    const keys = this.keysOf(config);
    const keysAfter = JSON.stringify(new Keyring(keys).list());
    this.table.reconfigure(tableSettings(config), replaceDetectors);
    if (keysAfter !== JSON.stringify(this.keyring.list()) && !applied.includes('keyFile')) {
      applied.push('keyFile');
    }
    this.keyring.replace(keys);
    this.openGroups = openGroupsOf(config);
    this.watchdog.reconfigure(config.pauseGuard);
    this.current = config;
    const now = this.clock.monotonicMs();
    this.table.deferConvictions(now + config.pauseGuard.graceMs, 'reload');
    if (differs('actions') && this.parts.actions !== undefined) {
      const old = this.actions;
      this.actions = this.parts.actions({ clock: this.clock, config });
      await old?.stop();
    }
    return { applied, needRestart };
  }

  /** The history store, once started. */
  get history(): HistoryStore | null {
    return this.store;
  }

  /**
   * Opens the store, restores the registry, holds convictions for one pause-guard grace (the
   * monitor heard nothing while it was down), then starts the listeners and the HTTP part. If
   * one cannot start (a port is taken: AddressInUseError), the parts that did start are stopped
   * again and the error is thrown. Throws StateError when called twice.
   */
  async start(): Promise<MonitorPorts> {
    if (this.state !== 'new') throw new StateError('monitor', this.state, 'start');
    this.state = 'starting';
    try {
      if (this.parts.store !== undefined) {
        const store = await this.parts.store();
        this.store = store;
        for (const record of await store.loadNodes()) this.restore(record);
      }
      const now = this.clock.monotonicMs();
      this.startedAtMs = now;
      this.table.deferConvictions(now + this.config.pauseGuard.graceMs, 'start');
      this.actions = this.parts.actions?.({ clock: this.clock, config: this.current }) ?? null;
      if (this.config.recordPath !== null) {
        this.recorder = new ArrivalRecorder({ clock: this.clock }, this.config.recordPath);
        await this.recorder.start();
      }
      const ports: MonitorPorts = { udpPort: null, tcpPort: null, httpPort: null };
      for (const factory of this.parts.listeners ?? []) {
        const listener = factory({ clock: this.clock, sink: this.sink, keys: this.keyring });
        this.listeners.push(listener);
        const port = await listener.start();
        if (listener.transport === 'udp') ports.udpPort = port;
        else if (listener.transport === 'tcp') ports.tcpPort = port;
      }
      if (this.http !== null) ports.httpPort = await this.http.start();
      this.watchdog.start();
      if (this.store !== null) {
        this.checkpointTimer = this.clock.setInterval(
          () => this.checkpoint(CHECKPOINT_CHUNK),
          this.checkpointMs,
        );
        this.pruneTimer = this.clock.setInterval(() => void this.prune(), PRUNE_PERIOD_MS);
      }
      this.state = 'running';
      return ports;
    } catch (error) {
      await this.shutdown();
      throw error;
    }
  }

  /**
   * A node of the registry back in the table, in the state it was stored in (NodeTable.restore
   * says what is genuine across a restart). The registry holds each node as of its last
   * transition or checkpoint.
   */
  private restore(record: NodeRecord): void {
    if (record.registered) this.registeredIds.add(record.id);
    this.table.restore({ ...record, intervalMs: record.intervalMs ?? undefined });
  }

  /**
   * Saves up to `max` nodes changed by heartbeats since the last checkpoint, through the
   * journal (in the same order as transitions); the rest at the next turn, so a million nodes
   * never block the event loop in one go.
   */
  private checkpoint(max: number): void {
    for (const id of this.table.takeDirty(max)) {
      const snapshot = this.table.get(id);
      if (snapshot !== undefined) this.persist(snapshot);
    }
    if (this.table.dirtyCount > 0 && max < Infinity) {
      this.clock.setTimeout(() => this.checkpoint(max), 0);
    }
  }

  /** Closes listeners, stops timers and hooks, flushes the recording and closes the store. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    await this.shutdown();
  }

  /**
   * Hands a decoded message to the node table and counts it: the common path of UDP, TCP and
   * HTTP. With keys, an unauthenticated message is refused first (unless its node's group allows
   * it), and so is an authenticated one sent too far from now (see IngestOutcome); a refusal is
   * counted by reason with the decoders' (`monitor.reject`). Accepted arrivals are recorded when
   * recording is on, and kept for a watched node.
   */
  ingest(message: Message, from: Peer): IngestOutcome {
    const refusal = this.admission(message);
    if (refusal !== undefined) {
      this.reject(from.transport, refusal, from.address);
      return refusal;
    }
    const outcome = this.table.receive(message, { address: from.address });
    this.ingestStats.received(from.transport, outcome);
    if (outcome === 'accepted' && this.arrivals.size > 0 && message.type === 'heartbeat') {
      this.arrivals.record(message.nodeId, this.clock.monotonicMs());
    }
    if (outcome === 'accepted' && this.recorder !== null && message.type === 'heartbeat') {
      const intervalMs =
        message.intervalMs ??
        this.table.get(message.nodeId)?.intervalMs ??
        this.config.defaultIntervalMs;
      this.recorder.record(this.clock.monotonicMs(), message, intervalMs);
    }
    return outcome;
  }

  /**
   * Whether `nodeId` may send unauthenticated heartbeats (and fail itself by `/ping/<id>/fail`):
   * when no keys are configured, or when the first group it matches that says so allows it.
   */
  admitsUnauthenticated(nodeId: string): boolean {
    if (this.keyring.size === 0) return true;
    const groups = this.openGroups;
    if (groups.length === 0) return false;
    const tags = groups.some((g) => g.tags !== undefined && g.tags.length > 0)
      ? (this.table.get(nodeId)?.tags ?? [])
      : [];
    return groups.find((g) => matchesGroup(g, nodeId, tags))?.allowUnauthenticated === true;
  }

  /** Why `ingest` refuses `message` before the table sees it, or undefined (see IngestOutcome). */
  private admission(message: Message): 'unauthenticated' | 'clock-skew' | undefined {
    if (message.authKeyId === undefined) {
      return this.admitsUnauthenticated(message.nodeId) ? undefined : 'unauthenticated';
    }
    const sentAtMs = message.sentAtMs;
    return sentAtMs !== undefined &&
      Math.abs(sentAtMs - this.clock.wallMs()) <= this.current.maxClockSkewMs
      ? undefined
      : 'clock-skew';
  }

  /** The keys of `config.keyFile` (none without one); throws ConfigError. */
  private keysOf(config: MonitorConfig): readonly KeySpec[] {
    if (config.keyFile === null) return [];
    if (this.parts.readKeys === undefined) {
      throw new ConfigError(
        `keyFile ${config.keyFile} is configured, but this monitor was built without a key file reader (MonitorComponents.readKeys)`,
      );
    }
    return this.parts.readKeys(config.keyFile);
  }

  /** Counts refused input by transport and reason (and emits `monitor:reject`). */
  reject(transport: Transport, reason: string, address: string): void {
    this.ingestStats.rejected(transport, reason);
    if (this.emitter.listenerCount('monitor:reject') > 0) {
      const event: RejectEvent = { transport, reason, address };
      this.emitter.emit('monitor:reject', event);
    }
  }

  /**
   * Registers an expected node (or updates one) and stores it in the registry before resolving
   * (with every transition pending), so a registration the API acknowledged survives a crash.
   * Rejects with the store's error when it could not be stored (it is kept and retried).
   */
  async register(nodeId: string, info: NodeRegistration = {}): Promise<NodeSnapshot> {
    const snapshot = this.table.register(nodeId, info);
    this.registeredIds.add(nodeId);
    this.persist(snapshot);
    await this.journal.flush();
    return snapshot;
  }

  /**
   * Removes a node from the table and the registry (its history stays), stored before
   * resolving; false if unknown.
   */
  async remove(nodeId: string): Promise<boolean> {
    const removed = this.table.remove(nodeId);
    this.registeredIds.delete(nodeId);
    // A removal from the table deletes the registry row through its transition; this covers a
    // node the registry holds but the table does not.
    if (!removed) this.journal.addRegistryWrite({ kind: 'delete', id: nodeId });
    await this.journal.flush();
    return removed;
  }

  stats(): MonitorStats {
    return {
      ingest: this.ingestStats.snapshot(),
      nodes: this.table.size,
      stalls: this.watchdog.stats(),
      deferrals: Object.fromEntries(this.deferrals),
      errors: Object.fromEntries(this.errorCounts),
      recording: this.recorder?.stats() ?? null,
      journal: this.journal.stats(),
      actions: this.actions?.stats() ?? null,
      uptimeMs: this.startedAtMs === null ? 0 : this.clock.monotonicMs() - this.startedAtMs,
    };
  }

  /**
   * The kernel's figures for the UDP listener's socket (drops, queued bytes, the receive buffer
   * granted); null without a running UDP listener or one that cannot say.
   */
  async kernelStats(): Promise<UdpKernelStats | null> {
    const udp = this.listeners.find((l) => l.transport === 'udp' && l.kernelStats !== undefined);
    return (await udp?.kernelStats?.()) ?? null;
  }

  /**
   * Prunes history the retention no longer keeps, a chunk per turn until done (one call at a
   * time). Failures are counted as `store` errors; the next period tries again.
   */
  async prune(): Promise<number> {
    const store = this.store;
    const { historyMaxAgeMs, historyMaxRows } = this.config.retention;
    if (store === null || this.pruning || (historyMaxAgeMs === null && historyMaxRows === null)) {
      return 0;
    }
    this.pruning = true;
    let total = 0;
    try {
      for (;;) {
        const removed = await store.prune({
          maxAgeMs: historyMaxAgeMs,
          maxRows: historyMaxRows,
          nowWallMs: this.clock.wallMs(),
          maxDeletes: PRUNE_CHUNK,
        });
        total += removed;
        if (removed < PRUNE_CHUNK || this.state !== 'running') break;
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, 0));
      }
    } catch (error) {
      this.fail('store', error);
    } finally {
      this.pruning = false;
    }
    return total;
  }

  /** A transition from the table, synchronously: journaled, announced once stored. */
  private onTransition(event: TransitionEventName, t: NodeTransition): void {
    this.journal.addTransition(event, t);
    if (t.reason === 'removed' || t.reason === 'expired') {
      this.journal.addRegistryWrite({ kind: 'delete', id: t.nodeId });
    } else if (event !== 'node:joined') {
      // Every change of state is stored with the node's lifecycle in the same commit, so a
      // restart restores it exactly. (A join is followed by `alive` in the same call, or stored
      // by `register`.)
      const snapshot = this.table.get(t.nodeId);
      if (snapshot !== undefined) this.persist(snapshot);
    }
  }

  /** Stores one journal batch in one transaction (nothing to store without a store). */
  private commit(batch: StoreBatch): readonly number[] | Promise<readonly number[]> {
    return this.store === null ? [] : this.store.commit(batch);
  }

  /** Hands one stored transition (with its history row id) to everything that tells the outside. */
  private announce(event: TransitionEventName, t: NodeTransition, id: number | null): void {
    if (id !== null) t.id = id;
    this.guard('actions', () => this.actions?.handle(t));
    this.announced.emit(event, t);
    this.announced.emit('transition', t);
  }

  private onStall(stall: StallEvent): void {
    this.table.deferConvictions(stall.holdUntilMs, 'stall');
    this.emitter.emit('monitor:stall', stall);
  }

  private persist(node: NodeSnapshot): void {
    const store = this.store;
    if (store === null) return;
    const record: NodeRecord = {
      id: node.id,
      address: node.address,
      tags: node.tags,
      intervalMs: node.intervalMs,
      incarnation: node.incarnation,
      lastSeq: node.lastSeq,
      registered: this.registeredIds.has(node.id),
      createdWallMs: this.clock.wallMs(),
      ...this.table.lifecycle(node.id),
    };
    this.journal.addRegistryWrite({ kind: 'upsert', record });
  }

  /** Runs a sink; a failure is counted and emitted, never thrown into the detection path. */
  private guard(where: string, fn: () => unknown): void {
    try {
      fn();
    } catch (error) {
      this.fail(where, error);
    }
  }

  /** Counts a failure the monitor survived and emits `monitor:error`. */
  private fail(where: string, error: unknown): void {
    this.errorCounts.set(where, (this.errorCounts.get(where) ?? 0) + 1);
    this.emitter.emit('monitor:error', { where, error });
  }

  private async shutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    this.watchdog.stop();
    this.checkpointTimer?.cancel();
    this.checkpointTimer = null;
    this.pruneTimer?.cancel();
    this.pruneTimer = null;
    const closing = this.listeners.map((listener) => listener.stop());
    if (this.http !== null) closing.push(this.http.stop());
    await Promise.all(closing);
    this.listeners = [];
    // Everything heard since the last checkpoint, so a restart after SIGTERM restores it all.
    if (wasRunning) this.checkpoint(Infinity);
    this.table.stop();
    // Store and announce what the last turn produced before the actions and the store close.
    await this.journal.stop();
    await this.actions?.stop();
    await this.recorder?.stop().catch(() => {});
    await this.store?.close();
  }
}
