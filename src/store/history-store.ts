/**
 * The monitor's memory across restarts: the node registry (which nodes exist, and what was last
 * known about them) and the append-only log of every state transition, in one SQLite file.
 *
 * Durability: the file runs in WAL mode with `synchronous = NORMAL` by default. Every write
 * method is one transaction (a batch is one transaction for all its rows, which costs about as
 * much as a single row: the commit dominates) and is written to the WAL (a `write()` to the
 * operating system) before it returns, so killing the monitor, even with SIGKILL, loses
 * nothing it wrote. Only a power cut or kernel crash can lose the last transactions; pass
 * `{ synchronous: 'full' }` to fsync every commit and survive those too, at the price of one
 * disk flush per commit (see bench/RESULTS.md, suite `store`). See docs/CONFIG.md.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MAX_HISTORY_PAGE } from '../core/limits.js';
import type { Evidence, NodeState, NodeTransition } from '../membership/types.js';
import { openError } from './open-error.js';
import { migrate } from './schema.js';

/** One node of the registry as stored. */
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
}

/** One stored transition. `id` grows with every append and is the paging cursor. */
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
}

export interface TransitionPage {
  /** Newest first. */
  rows: TransitionRow[];
  /** The `before` of the next (older) page, or null when this page is the last. */
  nextBefore: number | null;
}

export interface HistoryStoreOptions {
  /**
   * SQLite `synchronous` mode.
   * @default 'normal': in WAL mode a commit survives the death of the process (SIGKILL) without
   * an fsync per transition, so a mass failure of thousands of nodes is stored in milliseconds.
   * 'full' also survives power loss, for a flush per commit.
   */
  synchronous?: 'normal' | 'full';
}

/** Rows per page when the query does not say: a screenful in the API and the CLI. */
const DEFAULT_PAGE = 100;

interface NodeRow {
  id: string;
  address: string | null;
  tags: string;
  interval_ms: number | null;
  incarnation: number | null;
  last_seq: number | null;
  registered: number;
  created_wall_ms: number;
}

interface StoredTransitionRow {
  id: number;
  node_id: string;
  from_state: string;
  to_state: string;
  reason: string;
  wall_ms: number;
  detection_ms: number | null;
  down_for_ms: number | null;
  evidence: string;
}

export class HistoryStore {
  private readonly upsertStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private readonly loadStmt: Database.Statement<[], NodeRow>;
  private readonly appendStmt: Database.Statement;
  private readonly appendMany: (batch: readonly NodeTransition[]) => number[];
  private readonly upsertMany: (records: readonly NodeRecord[]) => void;
  private readonly queries = new Map<string, Database.Statement<unknown[], StoredTransitionRow>>();
  private closed = false;

  private constructor(private readonly db: Database.Database) {
    this.upsertStmt = db.prepare(
      `INSERT INTO nodes (id, address, tags, interval_ms, incarnation, last_seq, registered, created_wall_ms)
       VALUES (@id, @address, @tags, @intervalMs, @incarnation, @lastSeq, @registered, @createdWallMs)
       ON CONFLICT (id) DO UPDATE SET address = excluded.address, tags = excluded.tags,
         interval_ms = excluded.interval_ms, incarnation = excluded.incarnation,
         last_seq = excluded.last_seq, registered = excluded.registered`,
    );
    this.deleteStmt = db.prepare('DELETE FROM nodes WHERE id = ?');
    this.loadStmt = db.prepare<[], NodeRow>('SELECT * FROM nodes ORDER BY id');
    this.appendStmt = db.prepare(
      `INSERT INTO transitions (node_id, from_state, to_state, reason, wall_ms, detection_ms, down_for_ms, evidence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Inside an open transaction (see `transaction`) these become savepoints of it.
    this.appendMany = db.transaction((batch: readonly NodeTransition[]) =>
      batch.map((t) => this.insertTransition(t)),
    );
    this.upsertMany = db.transaction((records: readonly NodeRecord[]) => {
      for (const record of records) this.upsertRow(record);
    });
  }

  /**
   * Opens (creating it and its parent directories if needed) the database at `path`, or an
   * in-memory one for `':memory:'`, and brings its schema up to date. Throws ConfigError with
   * one line ("cannot open database ./data/x.db: permission denied") when it cannot.
   */
  static open(path: string, options: HistoryStoreOptions = {}): HistoryStore {
    let db: Database.Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(parentOf(path), { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      // Another process (the CLI reading history) may hold a lock briefly during a checkpoint.
      db.pragma('busy_timeout = 1000');
      migrate(db, path);
      return new HistoryStore(db);
    } catch (error) {
      db?.close();
      throw openError(path, error);
    }
  }

  /** Inserts or updates a node; `createdWallMs` of an existing node is kept. */
  upsertNode(record: NodeRecord): void {
    this.upsertRow(record);
  }

  /**
   * Inserts or updates nodes in order, in one transaction (all or none); `createdWallMs` of
   * existing nodes is kept.
   */
  upsertNodes(records: readonly NodeRecord[]): void {
    if (records.length > 0) this.upsertMany(records);
  }

  /**
   * Runs `fn` as one transaction: committed when it returns, rolled back if it throws. The write
   * methods called inside it join it, so a monitor's registry writes and transitions of one turn
   * of the event loop cost one commit.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private upsertRow(record: NodeRecord): void {
    this.upsertStmt.run({
      id: record.id,
      address: record.address,
      tags: JSON.stringify(record.tags),
      intervalMs: record.intervalMs,
      incarnation: record.incarnation,
      lastSeq: record.lastSeq,
      registered: record.registered ? 1 : 0,
      createdWallMs: Math.round(record.createdWallMs),
    });
  }

  /** Removes a node from the registry; its history stays. */
  deleteNode(id: string): void {
    this.deleteStmt.run(id);
  }

  /** Every node of the registry, ordered by id. */
  loadNodes(): NodeRecord[] {
    return this.loadStmt.all().map((row) => ({
      id: row.id,
      address: row.address,
      tags: JSON.parse(row.tags) as string[],
      intervalMs: row.interval_ms,
      incarnation: row.incarnation,
      lastSeq: row.last_seq,
      registered: row.registered === 1,
      createdWallMs: row.created_wall_ms,
    }));
  }

  /**
   * Appends one transition and returns its row id. The row is committed when this returns (or
   * with the enclosing `transaction`). Rows are never updated or deleted (triggers in the schema
   * refuse it).
   */
  appendTransition(t: NodeTransition): number {
    return this.insertTransition(t);
  }

  /**
   * Appends transitions in order, in one transaction (all or none), and returns their row ids in
   * the same order. The rows are committed when this returns. Thousands of rows cost about what
   * one `appendTransition` costs, plus a few µs each (bench/RESULTS.md, suite `store`).
   */
  appendTransitions(batch: readonly NodeTransition[]): number[] {
    return batch.length === 0 ? [] : this.appendMany(batch);
  }

  private insertTransition(t: NodeTransition): number {
    const result = this.appendStmt.run(
      t.nodeId,
      t.from,
      t.to,
      t.reason,
      Math.round(t.wallMs),
      t.detectionMs ?? null,
      t.downForMs ?? null,
      encodeEvidence(t.evidence),
    );
    return Number(result.lastInsertRowid);
  }

  /** A page of transitions, newest first, filtered by node and/or target state. */
  transitions(query: TransitionQuery = {}): TransitionPage {
    const limit = pageSize(query.limit);
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.nodeId !== undefined) {
      where.push('node_id = ?');
      params.push(query.nodeId);
    }
    if (query.state !== undefined) {
      where.push('to_state = ?');
      params.push(query.state);
    }
    if (query.before !== undefined && Number.isFinite(query.before)) {
      where.push('id < ?');
      params.push(query.before);
    }
    const sql = `SELECT * FROM transitions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ?`;
    // One row more than asked tells whether an older page exists.
    const found = this.query(sql).all(...params, limit + 1);
    const rows = found.slice(0, limit).map(toTransitionRow);
    const last = rows[rows.length - 1];
    return { rows, nextBefore: found.length > limit && last !== undefined ? last.id : null };
  }

  /** A prepared statement per distinct query shape (there are eight). */
  private query(sql: string): Database.Statement<unknown[], StoredTransitionRow> {
    let statement = this.queries.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], StoredTransitionRow>(sql);
      this.queries.set(sql, statement);
    }
    return statement;
  }

  /** Closes the database; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function parentOf(file: string): string {
  return path.dirname(path.resolve(file));
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE;
  return Math.min(MAX_HISTORY_PAGE, Math.max(1, Math.floor(limit)));
}

function toTransitionRow(row: StoredTransitionRow): TransitionRow {
  return {
    id: row.id,
    nodeId: row.node_id,
    from: row.from_state as NodeState,
    to: row.to_state as NodeState,
    reason: row.reason,
    wallMs: row.wall_ms,
    detectionMs: row.detection_ms,
    downForMs: row.down_for_ms,
    evidence: decodeEvidence(row.evidence),
  };
}

/**
 * Evidence as JSON, with the non-finite numbers JSON cannot hold (a detector's `suspectAtMs` is
 * `Infinity` before the first arrival) written as the strings "Infinity", "-Infinity", "NaN" so
 * they read back exactly.
 */
function encodeEvidence(evidence: Evidence): string {
  // A replacer puts JSON.stringify on its slow path: use it only when it has work to do. A
  // non-finite number comes out as `null`, so text without one needs no walk of the object
  // (most evidence of a mass failure: detector numbers, no nulls).
  const json = JSON.stringify(evidence);
  if (!json.includes('null') || !hasNonFinite(evidence)) return json;
  return JSON.stringify(evidence, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return false;
  for (const item of Object.values(value)) if (hasNonFinite(item)) return true;
  return false;
}

const NON_FINITE: Record<string, number> = {
  Infinity: Infinity,
  '-Infinity': -Infinity,
  NaN: Number.NaN,
};

/** Matches any JSON text that may hold an encoded non-finite number. */
const MAY_HOLD_NON_FINITE = /"(-?Infinity|NaN)"/;

function decodeEvidence(json: string): Evidence {
  if (!MAY_HOLD_NON_FINITE.test(json)) return JSON.parse(json) as Evidence;
  return JSON.parse(json, (_key, value: unknown) =>
    typeof value === 'string' && value in NON_FINITE ? NON_FINITE[value] : value,
  ) as Evidence;
}
