/**
 * A history store in memory: the same contract as the SQLite store (history-store.ts), kept in
 * arrays, for tests, the simulator and embedders who want a monitor without a file. Nothing
 * survives the process; `MemoryHistoryStore.reopen()` hands the same contents to a new store
 * object, as a restart on the same file would.
 */
import { MAX_HISTORY_PAGE } from '../core/limits.js';
import type { NodeTransition } from '../membership/types.js';
import type * as contract from './history-store.js';

const DEFAULT_PAGE = 100;

interface Contents {
  nodes: Map<string, contract.NodeRecord>;
  /** Oldest first; ids grow by one per append and are never reused. */
  transitions: contract.TransitionRow[];
  nextId: number;
}

export class MemoryHistoryStore implements contract.HistoryStore {
  readonly location = ':memory:';
  private closed = false;

  constructor(
    private readonly contents: Contents = { nodes: new Map(), transitions: [], nextId: 1 },
  ) {}

  /** A new store on the same contents: this one's restart. */
  reopen(): MemoryHistoryStore {
    return new MemoryHistoryStore(this.contents);
  }

  loadNodes(): contract.NodeRecord[] {
    this.assertOpen();
    return [...this.contents.nodes.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((record) => structuredClone(record));
  }

  commit(batch: contract.StoreBatch): number[] {
    this.assertOpen();
    // Check everything first: all or nothing.
    for (const t of batch.transitions) checkTransition(t);
    for (const write of batch.registry) {
      if (write.kind === 'upsert' && typeof write.record.id !== 'string') {
        throw new TypeError('a node record needs an id');
      }
    }
    const { nodes } = this.contents;
    for (const write of batch.registry) {
      if (write.kind === 'delete') {
        nodes.delete(write.id);
        continue;
      }
      const existing = nodes.get(write.record.id);
      const record = structuredClone(write.record);
      if (existing !== undefined) record.createdWallMs = existing.createdWallMs;
      nodes.set(record.id, record);
    }
    return batch.transitions.map((t) => this.append(t));
  }

  transitions(query: contract.TransitionQuery = {}): contract.TransitionPage {
    this.assertOpen();
    const limit = pageSize(query.limit);
    const ascending = query.after !== undefined && Number.isFinite(query.after);
    const matches = (row: contract.TransitionRow): boolean =>
      (query.nodeId === undefined || row.nodeId === query.nodeId) &&
      (query.state === undefined || row.to === query.state) &&
      (query.before === undefined || !Number.isFinite(query.before) || row.id < query.before) &&
      (!ascending || row.id > (query.after as number));
    const all = this.contents.transitions;
    const rows: contract.TransitionRow[] = [];
    let more = false;
    const take = (row: contract.TransitionRow): boolean => {
      if (!matches(row)) return true;
      if (rows.length === limit) {
        more = true;
        return false;
      }
      rows.push(structuredClone(row));
      return true;
    };
    if (ascending) {
      for (let i = 0; i < all.length && take(all[i] as contract.TransitionRow); i++);
    } else {
      for (let i = all.length - 1; i >= 0 && take(all[i] as contract.TransitionRow); i--);
    }
    const last = rows[rows.length - 1];
    return { rows, nextBefore: !ascending && more && last !== undefined ? last.id : null };
  }

  lastTransitionId(): number {
    this.assertOpen();
    return this.contents.nextId - 1;
  }

  prune(policy: contract.RetentionPolicy): number {
    this.assertOpen();
    const all = this.contents.transitions;
    let drop = 0;
    if (policy.maxAgeMs !== null) {
      const cutoff = policy.nowWallMs - policy.maxAgeMs;
      while (drop < all.length && (all[drop] as contract.TransitionRow).wallMs < cutoff) drop++;
    }
    if (policy.maxRows !== null) drop = Math.max(drop, all.length - policy.maxRows);
    drop = Math.min(drop, Math.max(1, policy.maxDeletes));
    all.splice(0, drop);
    return drop;
  }

  close(): void {
    this.closed = true;
  }

  private append(t: NodeTransition): number {
    const row: contract.TransitionRow = {
      id: this.contents.nextId++,
      nodeId: t.nodeId,
      from: t.from,
      to: t.to,
      reason: t.reason,
      wallMs: Math.round(t.wallMs),
      detectionMs: t.detectionMs ?? null,
      downForMs: t.downForMs ?? null,
      evidence: structuredClone(t.evidence),
    };
    this.contents.transitions.push(row);
    return row.id;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the history store is closed');
  }
}

function checkTransition(t: NodeTransition): void {
  if (typeof t.nodeId !== 'string' || typeof t.from !== 'string' || typeof t.to !== 'string') {
    throw new TypeError('a transition needs nodeId, from and to');
  }
  if (typeof t.reason !== 'string' || !Number.isFinite(t.wallMs)) {
    throw new TypeError('a transition needs a reason and a finite wallMs');
  }
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE;
  return Math.min(MAX_HISTORY_PAGE, Math.max(1, Math.floor(limit)));
}
