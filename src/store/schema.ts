/**
 * The history database's schema, as an ordered list of migrations. `PRAGMA user_version` holds
 * the number of migrations applied, so opening an old file upgrades it in place and opening a
 * file from a newer release is refused instead of being misread.
 */
import type Database from 'better-sqlite3';
import { StoreOpenError } from '../core/errors.js';

/** Each entry upgrades the schema by one version; never edit a released entry, append a new one. */
const MIGRATIONS: readonly string[] = [
  // 1: the node registry and the append-only transition log.
  `
  CREATE TABLE nodes (
    id TEXT PRIMARY KEY NOT NULL,
    address TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    interval_ms REAL,
    incarnation INTEGER,
    last_seq INTEGER,
    registered INTEGER NOT NULL,
    created_wall_ms INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL,
    wall_ms INTEGER NOT NULL,
    detection_ms REAL,
    down_for_ms REAL,
    evidence TEXT NOT NULL
  ) STRICT;

  CREATE INDEX transitions_by_node ON transitions (node_id, id);
  CREATE INDEX transitions_by_state ON transitions (to_state, id);

  CREATE TRIGGER transitions_no_update BEFORE UPDATE ON transitions
  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;

  CREATE TRIGGER transitions_no_delete BEFORE DELETE ON transitions
  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;
  `,
  // 2: each node's lifecycle as last known (restored exactly after a restart), and retention:
  // old transitions may be deleted, only below the id a pruning transaction writes to prune_gate.
  `
  ALTER TABLE nodes ADD COLUMN state TEXT;
  ALTER TABLE nodes ADD COLUMN state_reason TEXT;
  ALTER TABLE nodes ADD COLUMN state_since_wall_ms INTEGER;
  ALTER TABLE nodes ADD COLUMN failed_since_wall_ms INTEGER;
  ALTER TABLE nodes ADD COLUMN last_arrival_wall_ms INTEGER;
  ALTER TABLE nodes ADD COLUMN heartbeats INTEGER;
  ALTER TABLE nodes ADD COLUMN lost INTEGER;
  ALTER TABLE nodes ADD COLUMN duplicates INTEGER;
  ALTER TABLE nodes ADD COLUMN stale INTEGER;
  ALTER TABLE nodes ADD COLUMN payload TEXT;
  ALTER TABLE nodes ADD COLUMN warmup TEXT;

  CREATE TABLE prune_gate (below_id INTEGER NOT NULL) STRICT;

  DROP TRIGGER transitions_no_delete;
  CREATE TRIGGER transitions_no_delete BEFORE DELETE ON transitions
  WHEN NOT EXISTS (SELECT 1 FROM prune_gate WHERE OLD.id < below_id)
  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;
  `,
];

/** The schema version this release writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings `db` (at path `path`, for messages) up to SCHEMA_VERSION, each step in one transaction. */
export function migrate(db: Database.Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreOpenError(
      path,
      `cannot open database ${path}: written by a newer release (schema ${current}, this release knows ${SCHEMA_VERSION})`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
