/**
 * The monitor's memory across restarts, as a contract: the node registry (which nodes exist and
 * what was last known about each) and the append-only log of every state transition.
 *
 * The monitor holds a `HistoryStore`, never a particular engine: SQLite (sqlite-store.ts) is the
 * embedded default for one monitor; a store shared by several monitors implements the same
 * methods. Every implementation passes the compliance suite in test/store/compliance.ts.
 *
 * Methods may answer synchronously or with a promise (`Awaitable`): the SQLite store answers at
 * once, a networked store cannot. Callers `await` every answer.
 */
import type { Evidence, NodeState, NodeTransition } from '../membership/types.js';

/** A value or a promise of it: what a store's method returns. */
export type Awaitable<T> = T | Promise<T>;

/**
 * One node of the registry as stored. The lifecycle fields (`state` …) are what the monitor
 * knew at its last write; a store written by an older release has none of them, and a node
 * stored without them is restored as `unknown` with a fresh startup grace.
 */
export interface NodeRecord {
  id: string;
  address: string | null;
  tags: string[];
  intervalMs: number | null;
  incarnation: number | null;
  lastSeq: number | null;
  /** Registered by an operator, as opposed to joined by sending a heartbeat. */
  registered: boolean;
  /** Wall ms of the first time this node was stored; kept by later upserts. */
  createdWallMs: number;
  /** Lifecycle state at the last write. */
  state?: NodeState;
  /** The reason of the transition into `state`. */
  stateReason?: string;
  /** Wall ms of the transition into `state`. */
  stateSinceWallMs?: number;
  /** Wall ms at which the node stopped being alive (suspect or dead), else null. */
  failedSinceWallMs?: number | null;
  /** Wall ms of the last accepted heartbeat, else null. */
  lastArrivalWallMs?: number | null;
  /** Counters as of the last write. */
  heartbeats?: number;
  lost?: number;
  duplicates?: number;
  stale?: number;
  /** The last heartbeat's payload (JSON object), else null. */
  payload?: Record<string, unknown> | null;
  /** Recent inter-arrival times in ms, oldest first, for the detector's warm-up after a restart. */
  warmupMs?: number[];
}

/** A write to the node registry, kept in order with the others of its batch. */
export type RegistryWrite = { kind: 'upsert'; record: NodeRecord } | { kind: 'delete'; id: string };

/** What one commit stores, all or nothing: registry writes in order, then transitions in order. */
export interface StoreBatch {
  registry: readonly RegistryWrite[];
  transitions: readonly NodeTransition[];
}

/** One stored transition. `id` grows with every append and is the paging and resume cursor. */
export interface TransitionRow {
  id: number;
  nodeId: string;
  from: NodeState;
  to: NodeState;
  reason: string;
  wallMs: number;
  detectionMs: number | null;
  downForMs: number | null;
  evidence: Evidence;
}

export interface TransitionQuery {
  nodeId?: string;
  /** Only transitions into this state. */
  state?: NodeState;
  /** Rows per page, 1 to MAX_HISTORY_PAGE. @default 100 */
  limit?: number;
  /** Only rows with an id below this one: pass the previous page's `nextBefore`. */
  before?: number;
  /**
   * Only rows with an id above this one, oldest first (a resume after `Last-Event-ID`); the page
   * is then in ascending order and `nextBefore` is null.
   */
  after?: number;
}

export interface TransitionPage {
  /** Newest first (oldest first when the query gave `after`). */
  rows: TransitionRow[];
  /** The `before` of the next (older) page, or null when this page is the last. */
  nextBefore: number | null;
}

/** What `prune` removes: transitions older than `maxAgeMs` and those beyond the newest `maxRows`. */
export interface RetentionPolicy {
  /** Keep transitions younger than this (wall ms, against `nowWallMs`); null keeps any age. */
  maxAgeMs: number | null;
  /** Keep at most this many newest transitions; null keeps any number. */
  maxRows: number | null;
  nowWallMs: number;
  /** Delete at most this many rows in one call, so one call stays short. */
  maxDeletes: number;
}

export interface HistoryStore {
  /** Where the store lives, for messages (`./data/heartbeat.db`, `postgres://host/db`). */
  readonly location: string;
  /** Every node of the registry, ordered by id. */
  loadNodes(): Awaitable<NodeRecord[]>;
  /**
   * Stores a batch in one transaction, all or nothing, and returns the row ids of its
   * transitions in order; throws (or rejects) when it cannot, having stored nothing.
   */
  commit(batch: StoreBatch): Awaitable<number[]>;
  /** A page of transitions, filtered by node and/or target state. */
  transitions(query?: TransitionQuery): Awaitable<TransitionPage>;
  /** The id of the newest transition, or 0 when there is none. */
  lastTransitionId(): Awaitable<number>;
  /** Removes old transitions by the policy; returns how many it removed. */
  prune(policy: RetentionPolicy): Awaitable<number>;
  /** Closes the store; later calls do nothing. */
  close(): Awaitable<void>;
}
