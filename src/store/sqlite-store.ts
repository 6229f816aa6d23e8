/**
 * The history store in one SQLite file: the embedded default for a single monitor (see
 * history-store.ts for the contract every store keeps).
 *
 * Durability: the file runs in WAL mode with `synchronous = NORMAL` by default. Every write
 * method is one transaction (a batch is one transaction for all its rows, which costs about as
 * much as a single row: the commit dominates) and is written to the WAL (a `write()` to the
 * operating system) before it returns, so killing the monitor, even with SIGKILL, loses
 * nothing it wrote. Only a power cut or kernel crash can lose the last transactions; pass
 * `{ synchronous: 'full' }` to fsync every commit and survive those too, at the price of one
 * disk flush per commit (see bench/RESULTS.md, suite `store`). See docs/CONFIG.md.
 *
 * One writer: `open` takes `<file>.lock` (store-lock.ts) unless `{ lock: false }`, so a second
 * monitor on the same file refuses to start instead of writing its own verdicts into it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MAX_HISTORY_PAGE } from '../core/limits.js';
import type { Evidence, NodeState, NodeTransition } from '../membership/types.js';
import type {
  HistoryStore,
  NodeRecord,
  RetentionPolicy,
  StoreBatch,
  TransitionPage,
  TransitionQuery,
  TransitionRow,
} from './history-store.js';
import { openError } from './open-error.js';
import { migrate } from './schema.js';
import { acquireStoreLock, type StoreLock } from './store-lock.js';

export interface SqliteStoreOptions {
  /**
   * SQLite `synchronous` mode.
   * @default 'normal': in WAL mode a commit survives the death of the process (SIGKILL) without
   * an fsync per transition, so a mass failure of thousands of nodes is stored in milliseconds.
   * 'full' also survives power loss, for a flush per commit.
   */
  synchronous?: 'normal' | 'full';
  /**
   * Take the one-writer lock `<file>.lock`. A reader (the CLI's `events`, a test) passes false.
   * @default true for a file, false for ':memory:'
   */
  lock?: boolean;
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
  state: string | null;
  state_reason: string | null;
  state_since_wall_ms: number | null;
  failed_since_wall_ms: number | null;
  last_arrival_wall_ms: number | null;
  heartbeats: number | null;
  lost: number | null;
  duplicates: number | null;
  stale: number | null;
  payload: string | null;
  warmup: string | null;
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

export class SqliteHistoryStore implements HistoryStore {
  private readonly upsertStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private readonly loadStmt: Database.Statement<[], NodeRow>;
  private readonly appendStmt: Database.Statement;
  private readonly lastIdStmt: Database.Statement<[], { id: number | null }>;
  private readonly appendMany: (batch: readonly NodeTransition[]) => number[];
  private readonly upsertMany: (records: readonly NodeRecord[]) => void;
  private readonly commitBatch: (batch: StoreBatch) => number[];
  private readonly queries = new Map<string, Database.Statement<unknown[], StoredTransitionRow>>();
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
    private readonly lock: StoreLock | null,
  ) {
    this.upsertStmt = db.prepare(
      `INSERT INTO nodes (id, address, tags, interval_ms, incarnation, last_seq, registered,
         created_wall_ms, state, state_reason, state_since_wall_ms, failed_since_wall_ms,
         last_arrival_wall_ms, heartbeats, lost, duplicates, stale, payload, warmup)
       VALUES (@id, @address, @tags, @intervalMs, @incarnation, @lastSeq, @registered,
         @createdWallMs, @state, @stateReason, @stateSinceWallMs, @failedSinceWallMs,
         @lastArrivalWallMs, @heartbeats, @lost, @duplicates, @stale, @payload, @warmup)
       ON CONFLICT (id) DO UPDATE SET address = excluded.address, tags = excluded.tags,
         interval_ms = excluded.interval_ms, incarnation = excluded.incarnation,
         last_seq = excluded.last_seq, registered = excluded.registered,
         state = excluded.state, state_reason = excluded.state_reason,
         state_since_wall_ms = excluded.state_since_wall_ms,
         failed_since_wall_ms = excluded.failed_since_wall_ms,
         last_arrival_wall_ms = excluded.last_arrival_wall_ms, heartbeats = excluded.heartbeats,
         lost = excluded.lost, duplicates = excluded.duplicates, stale = excluded.stale,
         payload = excluded.payload, warmup = excluded.warmup`,
    );
    this.deleteStmt = db.prepare('DELETE FROM nodes WHERE id = ?');
    this.loadStmt = db.prepare<[], NodeRow>('SELECT * FROM nodes ORDER BY id');
    this.appendStmt = db.prepare(
      `INSERT INTO transitions (node_id, from_state, to_state, reason, wall_ms, detection_ms, down_for_ms, evidence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.lastIdStmt = db.prepare<[], { id: number | null }>(
      'SELECT max(id) AS id FROM transitions',
    );
    // Inside an open transaction (see `transaction`) these become savepoints of it.
    this.appendMany = db.transaction((batch: readonly NodeTransition[]) =>
      batch.map((t) => this.insertTransition(t)),
    );
    this.upsertMany = db.transaction((records: readonly NodeRecord[]) => {
      for (const record of records) this.upsertRow(record);
    });
    this.commitBatch = db.transaction((batch: StoreBatch) => {
      for (const write of batch.registry) {
        if (write.kind === 'upsert') this.upsertRow(write.record);
        else this.deleteStmt.run(write.id);
      }
      return batch.transitions.map((t) => this.insertTransition(t));
    });
  }

  /**
   * Opens (creating it and its parent directories if needed) the database at `path`, or an
   * in-memory one for `':memory:'`, takes its writer lock and brings its schema up to date.
   * Throws StoreLockedError when another live process holds the file, StoreOpenError with one
   * line ("cannot open database ./data/x.db: permission denied") when it cannot be opened.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteHistoryStore {
    let db: Database.Database | undefined;
    let lock: StoreLock | null = null;
    try {
      if (path !== ':memory:') mkdirSync(parentOf(path), { recursive: true });
      if (options.lock ?? path !== ':memory:') lock = acquireStoreLock(path);
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      // Another process (the CLI reading history) may hold a lock briefly during a checkpoint.
      db.pragma('busy_timeout = 1000');
      migrate(db, path);
      return new SqliteHistoryStore(db, path, lock);
    } catch (error) {
      db?.close();
      lock?.release();
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
   * Stores registry writes in order, then transitions in order, in one transaction (all or
   * none), and returns the transitions' row ids: one commit for a whole turn of the monitor.
   */
  commit(batch: StoreBatch): number[] {
    if (batch.registry.length === 0 && batch.transitions.length === 0) return [];
    return this.commitBatch(batch);
  }

  /**
   * Runs `fn` as one transaction: committed when it returns, rolled back if it throws. The write
   * methods called inside it join it.
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
      state: record.state ?? null,
      stateReason: record.stateReason ?? null,
      stateSinceWallMs: roundOrNull(record.stateSinceWallMs),
      failedSinceWallMs: roundOrNull(record.failedSinceWallMs),
      lastArrivalWallMs: roundOrNull(record.lastArrivalWallMs),
      heartbeats: record.heartbeats ?? null,
      lost: record.lost ?? null,
      duplicates: record.duplicates ?? null,
      stale: record.stale ?? null,
      payload:
        record.payload === undefined || record.payload === null
          ? null
          : JSON.stringify(record.payload),
      warmup: record.warmupMs === undefined ? null : JSON.stringify(record.warmupMs),
    });
  }

  /** Removes a node from the registry; its history stays. */
  deleteNode(id: string): void {
    this.deleteStmt.run(id);
  }

  /** Every node of the registry, ordered by id. */
  loadNodes(): NodeRecord[] {
    return this.loadStmt.all().map(toNodeRecord);
  }

  /**
   * Appends one transition and returns its row id. The row is committed when this returns (or
   * with the enclosing `transaction`). Rows are never updated, and deleted only by `prune`
   * (triggers in the schema refuse anything else).
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

  /** A page of transitions, newest first (oldest first after `after`), filtered by node and/or state. */
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
    const ascending = query.after !== undefined && Number.isFinite(query.after);
    if (ascending) {
      where.push('id > ?');
      params.push(query.after as number);
    }
    const sql = `SELECT * FROM transitions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id ${ascending ? 'ASC' : 'DESC'} LIMIT ?`;
    // One row more than asked tells whether an older page exists.
    const found = this.query(sql).all(...params, limit + 1);
    const rows = found.slice(0, limit).map(toTransitionRow);
    const last = rows[rows.length - 1];
    const more = !ascending && found.length > limit && last !== undefined;
    return { rows, nextBefore: more ? last.id : null };
  }

  lastTransitionId(): number {
    return this.lastIdStmt.get()?.id ?? 0;
  }

  /**
   * Deletes the transitions the policy no longer keeps, oldest first, at most `maxDeletes`.
   * The append-only trigger lets a delete through only below the gate row this method writes in
   * the same transaction, so nothing else can remove history.
   */
  prune(policy: RetentionPolicy): number {
    return this.db.transaction(() => {
      let belowId = 0;
      if (policy.maxAgeMs !== null) {
        const cutoff = policy.nowWallMs - policy.maxAgeMs;
        const row = this.db
          .prepare<[number], { id: number | null }>(
            'SELECT min(id) AS id FROM transitions WHERE wall_ms >= ?',
          )
          .get(cutoff);
        belowId = row?.id ?? this.lastTransitionId() + 1;
      }
      if (policy.maxRows !== null) {
        const row = this.db
          .prepare<[number], { id: number }>(
            'SELECT id FROM transitions ORDER BY id DESC LIMIT 1 OFFSET ?',
          )
          .get(Math.max(0, policy.maxRows - 1));
        if (row !== undefined) belowId = Math.max(belowId, row.id);
      }
      const oldest = this.db
        .prepare<[], { id: number | null }>('SELECT min(id) AS id FROM transitions')
        .get();
      if (oldest?.id == null || belowId <= oldest.id) return 0;
      belowId = Math.min(belowId, oldest.id + Math.max(1, policy.maxDeletes));
      this.db.prepare('INSERT INTO prune_gate (below_id) VALUES (?)').run(belowId);
      const removed = this.db.prepare('DELETE FROM transitions WHERE id < ?').run(belowId).changes;
      this.db.prepare('DELETE FROM prune_gate').run();
      return removed;
    })();
  }

  /** A prepared statement per distinct query shape. */
  private query(sql: string): Database.Statement<unknown[], StoredTransitionRow> {
    let statement = this.queries.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], StoredTransitionRow>(sql);
      this.queries.set(sql, statement);
    }
    return statement;
  }

  /** Closes the database and releases the writer lock; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    this.lock?.release();
  }
}

function roundOrNull(value: number | null | undefined): number | null {
  return value === undefined || value === null ? null : Math.round(value);
}

/** The lifecycle fields are present only when the row has them (written by this release). */
function toNodeRecord(row: NodeRow): NodeRecord {
  const record: NodeRecord = {
    id: row.id,
    address: row.address,
    tags: JSON.parse(row.tags) as string[],
    intervalMs: row.interval_ms,
    incarnation: row.incarnation,
    lastSeq: row.last_seq,
    registered: row.registered === 1,
    createdWallMs: row.created_wall_ms,
  };
  if (row.state === null) return record;
  record.state = row.state as NodeState;
  record.stateReason = row.state_reason ?? '';
  record.stateSinceWallMs = row.state_since_wall_ms ?? row.created_wall_ms;
  record.failedSinceWallMs = row.failed_since_wall_ms;
  record.lastArrivalWallMs = row.last_arrival_wall_ms;
  record.heartbeats = row.heartbeats ?? 0;
  record.lost = row.lost ?? 0;
  record.duplicates = row.duplicates ?? 0;
  record.stale = row.stale ?? 0;
  record.payload =
    row.payload === null ? null : (JSON.parse(row.payload) as Record<string, unknown>);
  record.warmupMs = row.warmup === null ? [] : (JSON.parse(row.warmup) as number[]);
  return record;
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
