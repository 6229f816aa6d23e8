/**
 * The fleet as the page knows it: every node's last snapshot, by id. It walks GET /v1/nodes
 * page by page (`?limit=&cursor=`, 10 000 a page) to load, then again and again to refresh the
 * numbers that change without a transition (suspicion, time since the last heartbeat, payload),
 * at a period that grows with the time a walk takes (a 100 000-node fleet is not walked every
 * two seconds), and not at all while the page is hidden. State changes come from the event
 * stream as they happen and are applied at once to the node they name; those that arrive during
 * a walk are applied again, in order, over its result, so a walk never undoes a newer transition. Listeners hear `full` after a walk and
 * `rows` with the ids a transition changed.
 */
import { TimerId, monotonicMs, later, cancel } from './page-clock.js';
import { getJson, query, type NodeSnapshot, type NodesPage, type NodeState } from './api.js';
import type { LiveStream, StreamTransition } from './live-stream.js';

/** One node: its snapshot and when (performance.now) the page got it. */
export interface FleetRow {
  node: NodeSnapshot;
  seenAt: number;
  /** The id as the table sorts it (numbers padded), worked out once. */
  sortId?: string;
}

export type FleetChange = { kind: 'full' } | { kind: 'rows'; ids: string[] };

/** Nodes per page: the API's most (MAX_NODES_PAGE). */
const PAGE = 10_000;
/** Shortest pause between walks. */
const MIN_REFRESH_MS = 2000;
/** The pause is this many times the last walk's duration, when longer. */
const REFRESH_FACTOR = 4;

export class FleetModel {
  readonly rows = new Map<string, FleetRow>();
  /** Milliseconds the last complete walk took, or null before the first. */
  lastWalkMs: number | null = null;
  /** monotonicMs() when the last walk completed. */
  loadedAt: number | null = null;
  /** The last failure of a walk, shown by the view; null once one succeeds. */
  error: Error | null = null;
  private readonly listeners = new Set<(change: FleetChange) => void>();
  private duringWalk: StreamTransition[] | null = null;
  private timer: TimerId | undefined;
  private abort: AbortController | null = null;
  private unsubscribe: (() => void) | null = null;
  private running = false;

  constructor(private readonly stream: LiveStream) {}

  /** Starts loading and following; idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.stream.subscribe({
      transition: (t) => this.apply(t),
      gap: () => this.refreshSoon(0),
    });
    void this.walk();
  }

  stop(): void {
    this.running = false;
    cancel(this.timer);
    this.abort?.abort();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  onChange(listener: (change: FleetChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Nodes per state, counted from the rows (so they agree with the table at every moment). */
  counts(): Record<NodeState, number> {
    const counts: Record<NodeState, number> = {
      alive: 0,
      suspect: 0,
      dead: 0,
      unknown: 0,
      left: 0,
    };
    for (const { node } of this.rows.values()) counts[node.state]++;
    return counts;
  }

  /** Applies one transition to its node now (a new node gets a row of what the transition says). */
  apply(t: StreamTransition): void {
    this.duringWalk?.push(t);
    if (this.applyTo(this.rows, t)) this.emit({ kind: 'rows', ids: [t.nodeId] });
  }

  /** Schedules the next walk `ms` from now (replacing a later one). */
  refreshSoon(ms: number): void {
    cancel(this.timer);
    if (!this.running) return;
    this.timer = later(() => void this.walk(), ms);
  }

  private applyTo(rows: Map<string, FleetRow>, t: StreamTransition): boolean {
    const now = monotonicMs();
    if (t.reason === 'removed' || t.reason === 'expired') return rows.delete(t.nodeId);
    const row = rows.get(t.nodeId);
    const sinceLastMs = t.evidence?.sinceLastMs ?? null;
    if (row === undefined) {
      rows.set(t.nodeId, { node: nodeFromTransition(t), seenAt: now });
      return true;
    }
    const node = row.node;
    node.state = t.to;
    node.stateReason = t.reason as NodeSnapshot['stateReason'];
    if (t.evidence?.detector) node.suspicion = t.evidence.detector.suspicion;
    if (sinceLastMs !== null) {
      node.sinceLastMs = sinceLastMs;
      row.seenAt = now;
    } else if (node.sinceLastMs !== null) {
      node.sinceLastMs += now - row.seenAt;
      row.seenAt = now;
    }
    return true;
  }

  private async walk(): Promise<void> {
    if (!this.running) return;
    if (document.hidden) {
      // Nobody looks: walk again when the page is shown (transitions still apply meanwhile).
      document.addEventListener('visibilitychange', () => this.refreshSoon(0), { once: true });
      return;
    }
    cancel(this.timer);
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const started = monotonicMs();
    const fresh = new Map<string, FleetRow>();
    this.duringWalk = [];
    try {
      let cursor: string | null = null;
      do {
        const page: NodesPage = await getJson<NodesPage>(
          `/v1/nodes${query({ limit: PAGE, cursor })}`,
          abort.signal,
        );
        const seenAt = monotonicMs();
        for (const node of page.nodes) fresh.set(node.id, { node, seenAt });
        cursor = page.nextCursor;
      } while (cursor !== null);
    } catch (error) {
      this.duringWalk = null;
      if (abort.signal.aborted) return;
      this.error = error instanceof Error ? error : new Error(String(error));
      this.emit({ kind: 'full' });
      this.refreshSoon(MIN_REFRESH_MS);
      return;
    }
    for (const t of this.duringWalk) this.applyTo(fresh, t);
    this.duringWalk = null;
    this.rows.clear();
    for (const [id, row] of fresh) this.rows.set(id, row);
    this.error = null;
    this.lastWalkMs = monotonicMs() - started;
    this.loadedAt = monotonicMs();
    performance.mark('fleet:loaded', { detail: { nodes: this.rows.size, ms: this.lastWalkMs } });
    this.emit({ kind: 'full' });
    this.refreshSoon(Math.max(MIN_REFRESH_MS, REFRESH_FACTOR * this.lastWalkMs));
  }

  private emit(change: FleetChange): void {
    for (const l of this.listeners) l(change);
  }
}

/** Time since the node's last heartbeat now, from its snapshot and the time the page got it. */
export function sinceLastNow(row: FleetRow, now: number): number | null {
  return row.node.sinceLastMs === null ? null : row.node.sinceLastMs + (now - row.seenAt);
}

/** A node known only from a transition (it joined after the last walk). */
function nodeFromTransition(t: StreamTransition): NodeSnapshot {
  const e = t.evidence;
  return {
    id: t.nodeId,
    state: t.to,
    address: null,
    tags: [],
    incarnation: e?.incarnation ?? null,
    lastSeq: e?.lastSeq ?? null,
    lastArrivalMs: null,
    lastArrivalWallMs: null,
    sinceLastMs: e?.sinceLastMs ?? null,
    suspicion: e?.detector?.suspicion ?? 0,
    intervalMs: Number.NaN,
    heartbeats: 0,
    lost: e?.lost ?? 0,
    duplicates: 0,
    stale: 0,
    payload: null,
    stateSinceMs: 0,
    stateReason: t.reason as NodeSnapshot['stateReason'],
    status: '',
  };
}
