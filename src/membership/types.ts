/**
 * The node lifecycle's vocabulary: states, transitions and the events that carry them.
 */
import type { DetectorExplanation } from '../detectors/detector.js';
import type { Payload } from '../protocol/message.js';

/**
 * The states, in the order of their codes (a node's state is stored as its index here):
 * - `unknown`: registered, never heard from ("no heartbeat received yet");
 * - `alive`: heartbeats arrive as expected;
 * - `suspect`: the detector suspects it;
 * - `dead`: suspected for longer than the dead grace, or never came up within the startup grace;
 * - `left`: said goodbye; not a failure.
 */
export const NODE_STATES = ['unknown', 'alive', 'suspect', 'dead', 'left'] as const;

export type NodeState = (typeof NODE_STATES)[number];

/**
 * Why a transition happened, in the order of their codes (a node stores the reason of the
 * transition into its state as its index here):
 * - `registered`: registered before it was heard from;
 * - `first-heartbeat`: heard from for the first time (or again after leaving);
 * - `heartbeat`: a heartbeat brought a suspect or dead node back, or rejoined one that left;
 * - `detector`: the detector suspects it;
 * - `dead-grace-expired`: suspect for longer than the dead grace;
 * - `never-came-up`: registered and not heard from within the startup grace;
 * - `restarted`: a heartbeat with a new incarnation;
 * - `leave`: it said goodbye;
 * - `reported-failure`: reported failed by itself or an operator (`reportFailure`);
 * - `removed`: removed from the table (`remove`);
 * - `expired`: dead or left for the configured `forgetAfterMs`, dropped from the live table.
 */
export const TRANSITION_REASONS = [
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
] as const;

export type TransitionReason = (typeof TRANSITION_REASONS)[number];

/**
 * The events that carry a transition of one node:
 * - `node:joined`: registered, or first heard from without registration (or again after leaving);
 * - `node:alive`: the first heartbeat of a node (registered, new, or back after leaving);
 * - `node:suspect`, `node:dead`: convicted;
 * - `node:recovered`: a heartbeat brought a suspect or dead node back;
 * - `node:restarted`: a heartbeat with a new incarnation: the process restarted;
 * - `node:left`: it said goodbye;
 * - `node:removed`: removed from the table (by `remove`, or expired).
 */
export const TRANSITION_EVENT_NAMES = [
  'node:joined',
  'node:alive',
  'node:suspect',
  'node:dead',
  'node:recovered',
  'node:restarted',
  'node:left',
  'node:removed',
] as const;

export type TransitionEventName = (typeof TRANSITION_EVENT_NAMES)[number];

/** The evidence behind a transition. */
export interface Evidence {
  /** The detector's numbers at the time of the transition (null for nodes never heard). */
  detector: DetectorExplanation | null;
  /** Milliseconds since the last accepted heartbeat, or null if none was ever received. */
  sinceLastMs: number | null;
  lastSeq: number | null;
  incarnation: number | null;
  /** Heartbeats lost within the current incarnation, counted from sequence gaps. */
  lost: number;
}

/** One state change of one node. */
export interface NodeTransition {
  nodeId: string;
  from: NodeState;
  to: NodeState;
  reason: TransitionReason;
  /** Monotonic ms of the transition, from the table's clock. */
  atMs: number;
  /** Wall-clock ms of the transition. */
  wallMs: number;
  evidence: Evidence;
  /** For transitions out of a failure: how long the node was failed, in ms. */
  downForMs?: number;
  /** For `suspect`/`dead`: ms from the last heartbeat to the detection (detection time). */
  detectionMs?: number;
  /** Free text given with the transition, e.g. by `reportFailure(nodeId, note)`. */
  note?: string;
  /**
   * The history row id, set by a monitor once the transition is stored (the SSE `id:`, the
   * resume cursor); absent from the node table's own events and when the store was down.
   */
  id?: number;
}

/** The node table postponed every conviction (→ suspect/dead) until `untilMs`. */
export interface ConvictionsDeferred {
  /** Monotonic ms when the deferral was decided. */
  atMs: number;
  /** Monotonic ms before which no node is convicted. */
  untilMs: number;
  /** Why: `start` (the monitor just started), `stall` (the pause guard saw the monitor stall), … */
  reason: string;
  /** For stalls: how late the deadline timer fired, in ms. */
  lateMs?: number;
}

/**
 * Typed events of the node table (`noun:verb`): one per name in TRANSITION_EVENT_NAMES, each with
 * a transition, plus `transition` (every transition, whatever its kind: one listener for stores
 * and streams) and `convictions:deferred` (not a transition: convictions were postponed, at
 * monitor start or after a stall of the monitor). A type alias, not an interface, so that it
 * satisfies TypedEmitter's Record<string, unknown>.
 */
export type NodeEvents = { [K in TransitionEventName]: NodeTransition } & {
  transition: NodeTransition;
  'convictions:deferred': ConvictionsDeferred;
};

/** A read-only snapshot of one node, for status queries and the API. */
export interface NodeSnapshot {
  id: string;
  state: NodeState;
  address: string | null;
  tags: string[];
  incarnation: number | null;
  lastSeq: number | null;
  /** Monotonic ms of the last accepted heartbeat. */
  lastArrivalMs: number | null;
  /** Wall ms of the last accepted heartbeat. */
  lastArrivalWallMs: number | null;
  sinceLastMs: number | null;
  suspicion: number;
  intervalMs: number;
  heartbeats: number;
  lost: number;
  duplicates: number;
  stale: number;
  payload: Payload | null;
  /** Monotonic ms when the node entered its current state. */
  stateSinceMs: number;
  /** Why the node is in its current state (the reason of the transition into it). */
  stateReason?: TransitionReason;
  /** Human status line: "ALIVE, last heartbeat 1.2 s ago". */
  status: string;
}

/** Which nodes one `NodeTable.page` call gives (see there for the order and the guarantee). */
export interface NodePageQuery {
  /** The `next` of the previous page; omitted (or -1) for the first page of a walk. */
  after?: number;
  /** Nodes on the page at most. */
  limit: number;
  /**
   * Slots looked at, at most, so that one call's work is bounded when the filters match few:
   * the page may then be short, even empty, and still have a `next`. @default Infinity
   */
  maxScan?: number;
  /** Only nodes in this state. */
  state?: NodeState;
  /** Only nodes with this tag. */
  tag?: string;
  /** Only nodes whose id starts with this. */
  prefix?: string;
}

/** One page of nodes and where the next one starts. */
export interface NodePage {
  nodes: NodeSnapshot[];
  /** Pass as `after` for the next page; null when the walk has reached the end of the table. */
  next: number | null;
}

/**
 * What a store keeps of a node's lifecycle so a restarted monitor restores it exactly, with
 * wall-clock times (see NodeTable.restore and docs/PAUSE-GUARD.md, "Across a restart").
 */
export interface NodeLifecycle {
  state: NodeState;
  /** The reason of the transition into `state`. */
  stateReason: TransitionReason;
  stateSinceWallMs: number;
  /** When the node stopped being alive (suspect, then dead); null when it is not failed. */
  failedSinceWallMs: number | null;
  lastArrivalWallMs: number | null;
  heartbeats: number;
  lost: number;
  duplicates: number;
  stale: number;
  payload: Record<string, unknown> | null;
  /** The detector's recent inter-arrival times, oldest first (empty for detectors without). */
  warmupMs: number[];
}

/** A node as restored from the store: its registry entry, and its lifecycle when stored. */
export interface RestoredNode extends Partial<Omit<NodeLifecycle, 'stateReason'>> {
  id: string;
  address?: string | null;
  tags?: string[];
  incarnation?: number | null;
  lastSeq?: number | null;
  intervalMs?: number;
  /** A reason from the store; one this release does not know reads as `registered`. */
  stateReason?: string;
}
