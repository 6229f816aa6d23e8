import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreOpenError } from '../../src/core/errors.js';
import { MAX_HISTORY_PAGE } from '../../src/core/limits.js';
import type { NodeState } from '../../src/membership/types.js';
import type { NodeRecord } from '../../src/store/history-store.js';
import { SqliteHistoryStore } from '../../src/store/sqlite-store.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { transition } from './transition-fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));

let dir: string;
const open: SqliteHistoryStore[] = [];
const openStore = (file: string, options?: Parameters<typeof SqliteHistoryStore.open>[1]) => {
  const store = SqliteHistoryStore.open(file, options);
  open.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hb-store-'));
});
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

const node = (id: string, extra: Partial<NodeRecord> = {}): NodeRecord => ({
  id,
  address: '10.0.0.1:9000',
  tags: ['db', 'eu'],
  intervalMs: 1000,
  incarnation: 3,
  lastSeq: 17,
  registered: true,
  createdWallMs: 1_700_000_000_000,
  ...extra,
});

describe('SqliteHistoryStore', () => {
  it('creates parent directories, uses WAL, and keeps registry and history across a reopen', () => {
    const file = path.join(dir, 'nested', 'deeper', 'hb.db');
    const first = SqliteHistoryStore.open(file);
    first.upsertNode(node('a'));
    first.upsertNode(node('b', { address: null, tags: [], intervalMs: null, registered: false }));
    const t = transition({ detectionMs: undefined, downForMs: 2_500, to: 'alive', from: 'dead' });
    const id = first.appendTransition(t);
    first.close();
    first.close(); // idempotent

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();

    const second = openStore(file);
    expect(second.loadNodes()).toEqual([
      node('a'),
      node('b', { address: null, tags: [], intervalMs: null, registered: false }),
    ]);
    const { rows, nextBefore } = second.transitions();
    expect(nextBefore).toBeNull();
    expect(rows).toEqual([
      {
        id,
        nodeId: t.nodeId,
        from: 'dead',
        to: 'alive',
        reason: 'detector',
        wallMs: t.wallMs,
        detectionMs: null,
        downForMs: 2_500,
        evidence: t.evidence,
      },
    ]);
  });

  it('round-trips non-finite numbers in the evidence exactly', () => {
    const store = openStore(':memory:');
    const t = transition();
    t.evidence.detector = {
      ...t.evidence.detector!,
      suspectAtMs: Infinity,
      details: { low: -Infinity, nan: Number.NaN },
    };
    store.appendTransition(t);
    const evidence = store.transitions().rows[0]!.evidence;
    expect(evidence.detector?.suspectAtMs).toBe(Infinity);
    expect(evidence.detector?.details['low']).toBe(-Infinity);
    expect(evidence.detector?.details['nan']).toBeNaN();
  });

  it('updates a node in place, keeps its creation time, and deletes it without its history', () => {
    const store = openStore(path.join(dir, 'hb.db'));
    store.upsertNode(node('a'));
    store.upsertNode(node('a', { lastSeq: 99, tags: ['x'], createdWallMs: 5 }));
    expect(store.loadNodes()).toEqual([node('a', { lastSeq: 99, tags: ['x'] })]);
    store.appendTransition(transition({ nodeId: 'a' }));
    store.deleteNode('a');
    store.deleteNode('never-there');
    expect(store.loadNodes()).toEqual([]);
    expect(store.transitions({ nodeId: 'a' }).rows).toHaveLength(1);
  });

  it('appends a batch in order in one transaction: ids in order, all rows or none', () => {
    const file = path.join(dir, 'hb.db');
    const store = openStore(file);
    const batch = Array.from({ length: 5 }, (_, i) => transition({ nodeId: `n${i}`, wallMs: i }));
    const ids = store.appendTransitions(batch);
    expect(ids).toHaveLength(5);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(store.appendTransitions([])).toEqual([]);
    const rows = store.transitions().rows.reverse();
    expect(rows.map((r) => [r.id, r.nodeId])).toEqual(ids.map((id, i) => [id, `n${i}`]));

    // A bad row in the middle (no node id) fails the whole batch: nothing of it is stored.
    const bad = [transition({ nodeId: 'x' }), transition({ nodeId: null as unknown as string })];
    expect(() => store.appendTransitions(bad)).toThrow(/NOT NULL/);
    expect(store.transitions().rows).toHaveLength(5);
    const after = store.appendTransition(transition({ nodeId: 'single' }));
    expect(after).toBeGreaterThan(ids[4] as number);
  });

  it('upserts nodes in one transaction, all or none', () => {
    const store = openStore(path.join(dir, 'hb.db'));
    store.upsertNodes([node('a'), node('b'), node('a', { lastSeq: 99, createdWallMs: 5 })]);
    expect(store.loadNodes()).toEqual([node('a', { lastSeq: 99 }), node('b')]);
    store.upsertNodes([]);
    expect(() => store.upsertNodes([node('c'), node(null as unknown as string)])).toThrow(
      /NOT NULL/,
    );
    expect(store.loadNodes().map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('commits the writes of one transaction together: another connection sees none before', () => {
    const file = path.join(dir, 'hb.db');
    const store = openStore(file);
    const reader = new Database(file, { readonly: true });
    const count = () =>
      (reader.prepare('SELECT count(*) AS n FROM transitions').get() as { n: number }).n;
    try {
      const seenInside = store.transaction(() => {
        store.upsertNodes([node('a')]);
        store.deleteNode('a');
        store.upsertNode(node('b'));
        store.appendTransitions([transition({ nodeId: 'b' }), transition({ nodeId: 'b' })]);
        store.appendTransition(transition({ nodeId: 'b' }));
        return count();
      });
      expect(seenInside).toBe(0);
      expect(count()).toBe(3);
      expect(store.loadNodes().map((n) => n.id)).toEqual(['b']);
      // A throw rolls back everything written inside, batches included.
      expect(() =>
        store.transaction(() => {
          store.appendTransitions([transition({ nodeId: 'c' })]);
          store.upsertNode(node('c'));
          throw new Error('abandon');
        }),
      ).toThrow('abandon');
      expect(count()).toBe(3);
      expect(store.loadNodes().map((n) => n.id)).toEqual(['b']);
    } finally {
      reader.close();
    }
  });

  it('refuses updates and deletes of transitions, even through another connection', () => {
    const file = path.join(dir, 'hb.db');
    const store = openStore(file);
    store.appendTransition(transition());
    const raw = new Database(file);
    try {
      expect(() => raw.prepare("UPDATE transitions SET to_state = 'alive'").run()).toThrow(
        /append-only/,
      );
      expect(() => raw.prepare('DELETE FROM transitions').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    expect(store.transitions().rows[0]?.to).toBe('suspect');
  });

  it('pages newest first with an id cursor, filtered by node and by state', () => {
    const store = openStore(path.join(dir, 'hb.db'));
    const states: NodeState[] = ['alive', 'suspect', 'dead'];
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(
        store.appendTransition(
          transition({ nodeId: `n${i % 3}`, to: states[i % 3] as NodeState, wallMs: i }),
        ),
      );
    }
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const seen: number[] = [];
    let before: number | undefined;
    let pages = 0;
    for (;;) {
      const page = store.transitions({ limit: 7, before });
      pages++;
      seen.push(...page.rows.map((r) => r.id));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual([...ids].reverse());

    const exact = store.transitions({ limit: 10, nodeId: 'n1' });
    expect(exact.rows.map((r) => r.wallMs)).toEqual([28, 25, 22, 19, 16, 13, 10, 7, 4, 1]);
    expect(exact.nextBefore).toBeNull(); // exactly ten rows: no empty last page

    const dead = store.transitions({ state: 'dead', limit: 4 });
    expect(dead.rows.map((r) => r.wallMs)).toEqual([29, 26, 23, 20]);
    const older = store.transitions({ state: 'dead', limit: 4, before: dead.nextBefore! });
    expect(older.rows.map((r) => r.wallMs)).toEqual([17, 14, 11, 8]);

    expect(store.transitions({ nodeId: 'n2', state: 'suspect' }).rows).toEqual([]);
    expect(store.transitions({ nodeId: 'n2', state: 'dead' }).rows).toHaveLength(10);
  });

  it('clamps page sizes to 1…MAX_HISTORY_PAGE', () => {
    const store = openStore(':memory:');
    const insert = store['db'].transaction(() => {
      for (let i = 0; i < MAX_HISTORY_PAGE + 5; i++) store.appendTransition(transition());
    });
    insert();
    expect(store.transitions({ limit: 0 }).rows).toHaveLength(1);
    expect(store.transitions({ limit: 1e9 }).rows).toHaveLength(MAX_HISTORY_PAGE);
    expect(store.transitions({ limit: Number.NaN }).rows).toHaveLength(100);
  });

  it('throws one-line StoreOpenErrors for paths it cannot open', () => {
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, 'not a database, just text that is long enough to have a header...');
    const cases: [string, RegExp][] = [
      [
        '/etc/passwd/x.db',
        /^cannot open database \/etc\/passwd\/x\.db: a parent is not a directory$/,
      ],
      [path.join(file, 'sub', 'x.db'), /: a parent is not a directory$/],
      [dir, /: is a directory$/],
      [file, /: not a SQLite database$/],
    ];
    for (const [target, message] of cases) {
      let caught: unknown;
      try {
        SqliteHistoryStore.open(target);
      } catch (error) {
        caught = error;
      }
      expect(caught, target).toBeInstanceOf(StoreOpenError);
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).not.toContain('\n');
    }
  });

  it('throws a StoreOpenError for a read-only directory (run as an unprivileged user)', () => {
    const readOnly = path.join(dir, 'read-only');
    mkdirSync(readOnly);
    chmodSync(dir, 0o755);
    chmodSync(readOnly, 0o555);
    const target = path.join(readOnly, 'x.db');
    // Root ignores directory permissions: drop to `nobody` for the child that opens the store.
    const asRoot = process.getuid?.() === 0;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'fixtures', 'open-store.ts'), target],
      { encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe(
      `StoreOpenError: cannot open database ${target}: permission denied\n`,
    );
  });

  it('refuses a database written by a newer schema', () => {
    const file = path.join(dir, 'future.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => SqliteHistoryStore.open(file)).toThrow(
      new StoreOpenError(
        file,
        `cannot open database ${file}: written by a newer release (schema ${SCHEMA_VERSION + 1}, this release knows ${SCHEMA_VERSION})`,
      ),
    );
  });

  it('loses no acknowledged transition when the writing process is killed with SIGKILL', async () => {
    const file = path.join(dir, 'killed.db');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'fixtures', 'append-forever.ts'), file],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    let acknowledged = 0;
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) {
      acknowledged = Number(line);
      if (acknowledged >= 200) {
        child.kill('SIGKILL');
        break;
      }
    }
    expect(await exited).toBe('SIGKILL');
    const store = openStore(file);
    const newest = store.transitions({ limit: 1 }).rows[0];
    expect(newest?.id).toBeGreaterThanOrEqual(acknowledged);
  });

  it('loses no transition a monitor announced when its process is killed with SIGKILL', async () => {
    const file = path.join(dir, 'monitor.db');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'fixtures', 'monitor-forever.ts'), file],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    const announced: string[] = [];
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) {
      announced.push(line);
      // Several turns in, and mid-turn (not on a batch boundary) when the kill lands.
      if (announced.length >= 2_050) {
        child.kill('SIGKILL');
        break;
      }
    }
    expect(await exited).toBe('SIGKILL');
    const store = openStore(file);
    const stored: string[] = [];
    for (let before: number | null | undefined = undefined; before !== null;) {
      const page = store.transitions({ limit: MAX_HISTORY_PAGE, before });
      stored.push(...page.rows.map((r) => `${r.nodeId} ${r.from} ${r.to}`));
      before = page.nextBefore;
    }
    stored.reverse();
    // Every announcement is in the history, in the order announced (more may have been stored
    // and never announced: the kill landed between a commit and its announcements).
    expect(stored.length).toBeGreaterThanOrEqual(announced.length);
    expect(stored.slice(0, announced.length)).toEqual(announced);
    // The registry rows written with them are there too: the joined nodes are restored.
    const joined = new Set(announced.map((line) => line.split(' ')[0]));
    const registry = new Set(store.loadNodes().map((n) => n.id));
    for (const id of joined) expect(registry.has(id as string)).toBe(true);
  });
});
