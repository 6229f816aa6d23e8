/**
 * Recent arrivals of the few nodes someone is looking at (the dashboard's node page charts the
 * gaps between them): a ring of the last ARRIVAL_RING_SIZE arrival times per watched node, for
 * at most MAX_WATCHED_NODES nodes. Nothing is kept for a node until its arrivals are first read
 * (`read` starts watching it); a node not read for `idleMs` is dropped, and when the watch is
 * full the least recently read one makes room. The node table knows nothing of it: the monitor
 * calls `record` for each accepted heartbeat, which costs a size check when nobody watches and a
 * map lookup when someone does.
 */
import type { Clock } from '../core/clock.js';
import { ARRIVAL_RING_SIZE, MAX_WATCHED_NODES } from '../core/limits.js';

export interface ArrivalWatchOptions {
  /** Nodes watched at once. @default MAX_WATCHED_NODES */
  maxNodes?: number;
  /** Arrivals kept per node. @default ARRIVAL_RING_SIZE */
  capacity?: number;
  /** A node not read for this long stops being watched. @default 120_000 */
  idleMs?: number;
}

/** What `read` answers: the node's kept arrivals, oldest first, as wall-clock ms. */
export interface RecentArrivals {
  nodeId: string;
  /** Wall ms when this node started being watched. */
  sinceWallMs: number;
  capacity: number;
  arrivalsWallMs: number[];
}

interface Ring {
  /** Monotonic ms of each arrival; `next` is where the next one goes. */
  times: Float64Array;
  next: number;
  size: number;
  sinceWallMs: number;
  readAtMs: number;
}

export class ArrivalWatch {
  private readonly clock: Clock;
  private readonly rings = new Map<string, Ring>();
  private readonly maxNodes: number;
  private readonly capacity: number;
  private readonly idleMs: number;

  constructor(components: { clock: Clock }, init: ArrivalWatchOptions = {}) {
    this.clock = components.clock;
    this.maxNodes = Math.max(1, init.maxNodes ?? MAX_WATCHED_NODES);
    this.capacity = Math.max(2, init.capacity ?? ARRIVAL_RING_SIZE);
    this.idleMs = init.idleMs ?? 120_000;
  }

  /** Nodes watched now. */
  get size(): number {
    return this.rings.size;
  }

  /** Keeps an arrival of `nodeId` at monotonic `atMs` if the node is watched. */
  record(nodeId: string, atMs: number): void {
    if (this.rings.size === 0) return;
    const ring = this.rings.get(nodeId);
    if (ring === undefined) return;
    ring.times[ring.next] = atMs;
    ring.next = (ring.next + 1) % this.capacity;
    if (ring.size < this.capacity) ring.size++;
  }

  /** The node's kept arrivals; starts watching it (empty at first) if it was not watched. */
  read(nodeId: string): RecentArrivals {
    const now = this.clock.monotonicMs();
    this.expire(now);
    let ring = this.rings.get(nodeId);
    if (ring === undefined) {
      if (this.rings.size >= this.maxNodes) this.dropLeastRecent();
      ring = {
        times: new Float64Array(this.capacity),
        next: 0,
        size: 0,
        sinceWallMs: this.clock.wallMs(),
        readAtMs: now,
      };
      this.rings.set(nodeId, ring);
    }
    ring.readAtMs = now;
    const offset = this.clock.wallMs() - now;
    const out: number[] = [];
    const start = (ring.next - ring.size + this.capacity) % this.capacity;
    for (let i = 0; i < ring.size; i++) {
      out.push((ring.times[(start + i) % this.capacity] as number) + offset);
    }
    return { nodeId, sinceWallMs: ring.sinceWallMs, capacity: this.capacity, arrivalsWallMs: out };
  }

  /** Stops watching a node (removed from the table). */
  forget(nodeId: string): void {
    this.rings.delete(nodeId);
  }

  private expire(now: number): void {
    for (const [id, ring] of this.rings) {
      if (now - ring.readAtMs > this.idleMs) this.rings.delete(id);
    }
  }

  private dropLeastRecent(): void {
    let oldest: string | null = null;
    let at = Infinity;
    for (const [id, ring] of this.rings) {
      if (ring.readAtMs < at) {
        at = ring.readAtMs;
        oldest = id;
      }
    }
    if (oldest !== null) this.rings.delete(oldest);
  }
}
