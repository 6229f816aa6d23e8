/**
 * The monitor's transition journal against a real SQLite file: a mass failure is one
 * transaction, and nothing is announced before it is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { NodeTransition } from '../../src/membership/types.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import type { SqliteHistoryStore } from '../../src/store/sqlite-store.js';
import type { Peer } from '../../src/transport/listener.js';
import { testConfig } from './helpers.js';

const peer: Peer = { transport: 'udp', address: '10.0.0.9', port: 5000 };
const NODES = 10_000;

let dir = '';
const monitors: Monitor[] = [];
const readers: Database.Database[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hb-journal-'));
});
afterEach(async () => {
  for (const m of monitors.splice(0)) await m.stop();
  for (const r of readers.splice(0)) r.close();
  rmSync(dir, { recursive: true, force: true });
});

async function started(clock: ManualClock) {
  const dataPath = path.join(dir, 'history.db');
  const monitor = createMonitor(
    { clock },
    testConfig({ udpPort: null, tcpPort: null, httpPort: null, dataPath }),
  );
  monitors.push(monitor);
  await monitor.start();
  // A second connection sees only committed rows: what would survive a crash now.
  const reader = new Database(dataPath, { readonly: true });
  readers.push(reader);
  const committed = (to: string) =>
    (
      reader.prepare('SELECT count(*) AS n FROM transitions WHERE to_state = ?').get(to) as {
        n: number;
      }
    ).n;
  return { monitor, store: monitor.history as SqliteHistoryStore, reader, committed };
}

describe('Monitor transition journal', () => {
  it('stores a partition of 10 000 nodes in one transaction and announces them after, in order', async () => {
    const clock = new ManualClock();
    const { monitor, store, reader, committed } = await started(clock);
    for (let i = 0; i < NODES; i++) {
      monitor.ingest({ type: 'heartbeat', nodeId: `n${i}`, incarnation: 1, seq: 1 }, peer);
    }
    clock.advance(0); // the joins' turn is committed
    expect(committed('alive')).toBe(NODES);
    expect(store.loadNodes()).toHaveLength(NODES); // registry rows in the same commit

    const commit = vi.spyOn(store, 'commit');
    let storedWhenTableSaidFirst = -1;
    let storedWhenAnnouncedFirst = -1;
    const tableOrder: string[] = [];
    const announced: NodeTransition[] = [];
    const dead: string[] = [];
    monitor.table.on('node:suspect', (t) => {
      // The table's own listeners stay synchronous, ahead of the commit.
      if (tableOrder.length === 0) storedWhenTableSaidFirst = committed('suspect');
      tableOrder.push(t.nodeId);
    });
    monitor.on('node:suspect', (t) => {
      if (announced.length === 0) storedWhenAnnouncedFirst = committed('suspect');
      announced.push(t);
    });
    monitor.on('node:dead', (t) => dead.push(t.nodeId));

    // Every node falls silent: the detector's 300 ms deadline expires for all in one timer tick.
    clock.advance(300);
    expect(tableOrder).toHaveLength(NODES);
    expect(storedWhenTableSaidFirst).toBe(0);
    expect(storedWhenAnnouncedFirst).toBe(NODES);
    expect(commit).toHaveBeenCalledTimes(1); // one transaction
    expect(commit.mock.calls[0]?.[0].transitions).toHaveLength(NODES);
    // Each conviction is stored with the node's lifecycle, in the same commit.
    expect(commit.mock.calls[0]?.[0].registry).toHaveLength(NODES);

    // Announced in the table's order, which is the stored order.
    expect(announced.map((t) => t.nodeId)).toEqual(tableOrder);
    const stored = reader
      .prepare("SELECT node_id FROM transitions WHERE to_state = 'suspect' ORDER BY id")
      .pluck()
      .all() as string[];
    expect(stored).toEqual(tableOrder);
    expect(dead).toEqual([]);
    expect(monitor.stats().errors).toEqual({});
  });

  it('stores a registration before register returns, with the transitions pending before it', async () => {
    const clock = new ManualClock();
    const { monitor, store, committed } = await started(clock);
    const announced: string[] = [];
    monitor.on('transition', (t) => announced.push(`${t.nodeId} ${t.to}`));
    monitor.ingest({ type: 'heartbeat', nodeId: 'joined', incarnation: 1, seq: 1 }, peer);
    expect(committed('alive')).toBe(0);
    void monitor.register('expected', { tags: ['db'] });
    // Stored and announced at once, in the order the table made them; no timer needed.
    expect(committed('alive')).toBe(1);
    expect(committed('unknown')).toBe(2);
    expect(announced).toEqual(['joined unknown', 'joined alive', 'expected unknown']);
    expect(store.loadNodes().map((n) => [n.id, n.registered])).toEqual([
      ['expected', true],
      ['joined', false],
    ]);
    expect(await monitor.remove('expected')).toBe(true);
    expect(store.loadNodes().map((n) => n.id)).toEqual(['joined']);
    expect(committed('unknown')).toBe(3); // node:removed, stored with the state it left in
    expect(announced).toHaveLength(4);
    clock.advance(0);
    expect(announced).toHaveLength(4);
  });

  it('announces a turn whose commit failed, and counts the failure', async () => {
    const clock = new ManualClock();
    const { monitor, store } = await started(clock);
    const errors: string[] = [];
    monitor.on('monitor:error', (e) => errors.push(`${e.where}: ${(e.error as Error).message}`));
    const announced: string[] = [];
    monitor.on('node:joined', (t) => announced.push(t.nodeId));
    vi.spyOn(store, 'commit').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    monitor.ingest({ type: 'heartbeat', nodeId: 'a', incarnation: 1, seq: 1 }, peer);
    clock.advance(0);
    expect(errors).toEqual(['store: disk I/O error']);
    expect(announced).toEqual(['a']);
    expect(monitor.stats().errors).toEqual({ store: 1 });
  });

  it('stores and announces what is pending when the monitor stops', async () => {
    const clock = new ManualClock();
    const { monitor, committed } = await started(clock);
    const announced: string[] = [];
    monitor.on('node:joined', (t) => announced.push(t.nodeId));
    monitor.ingest({ type: 'heartbeat', nodeId: 'a', incarnation: 1, seq: 1 }, peer);
    await monitor.stop();
    expect(announced).toEqual(['a']);
    expect(committed('alive')).toBe(1);
  });
});

describe('Monitor and listener errors', () => {
  it('counts a throw from a node-table listener as a listener error, and keeps detecting', async () => {
    const clock = new ManualClock();
    const { monitor } = await started(clock);
    const errors: string[] = [];
    monitor.on('monitor:error', (e) => errors.push(`${e.where}: ${(e.error as Error).message}`));
    monitor.table.on('node:joined', () => {
      throw new Error('listener bug');
    });
    monitor.ingest({ type: 'heartbeat', nodeId: 'a', incarnation: 1, seq: 1 }, peer);
    clock.advance(0);
    expect(errors).toEqual(['listener: listener bug']);
    expect(monitor.table.get('a')?.state).toBe('alive');
  });
});
