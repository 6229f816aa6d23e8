/**
 * Retention: dead and left nodes leave the live table after `forgetAfterMs` (their history
 * stays; across restarts too), and the history is pruned by age and by count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMonitorConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';
import { ManualClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import { NodeTable } from '../../src/membership/node-table.js';
import type { NodeTransition } from '../../src/membership/types.js';
import type { MonitorConfig } from '../../src/config/types.js';
import { testConfig } from './helpers.js';

const HOUR = 3_600_000;
const peer = { transport: 'udp' as const, address: '127.0.0.1', port: 1 };

describe('NodeTable forgetAfterMs', () => {
  it('removes a node dead or left for forgetAfterMs, as `expired`, and keeps the others', () => {
    const clock = new ManualClock();
    const table = new NodeTable(
      { clock },
      { detector: { kind: 'timeout', timeoutMs: 300 }, deadAfterMs: 500, forgetAfterMs: HOUR },
    );
    const seen: NodeTransition[] = [];
    table.on('transition', (t) => seen.push(t));
    for (const id of ['crash', 'bye', 'fine'])
      table.receive({ type: 'heartbeat', nodeId: id, incarnation: 1, seq: 1 });
    table.receive({ type: 'leave', nodeId: 'bye', incarnation: 1, seq: 2 });
    for (let t = 0; t < HOUR; t += 200) {
      table.receive({ type: 'heartbeat', nodeId: 'fine', incarnation: 1, seq: 2 + t / 200 });
      clock.advance(200);
    }
    expect(table.get('bye')).toBeUndefined(); // left at 0, forgotten at 1 h
    expect(table.get('crash')?.state).toBe('dead'); // dead at 800 ms: not yet
    expect(table.get('fine')?.state).toBe('alive');
    clock.advance(1000);
    expect(table.get('crash')).toBeUndefined();
    const expired = seen.filter((t) => t.reason === 'expired');
    expect(expired.map((t) => [t.nodeId, t.from, t.to, t.atMs])).toEqual([
      ['bye', 'left', 'left', HOUR],
      ['crash', 'dead', 'dead', HOUR + 800],
    ]);
  });

  it('forgets a node reported failed forgetAfterMs after the report, before its old deadline', () => {
    const clock = new ManualClock();
    const table = new NodeTable({ clock }, { startupGraceMs: 30_000, forgetAfterMs: 1000 });
    const seen: NodeTransition[] = [];
    table.on('transition', (t) => seen.push(t));
    table.register('r');
    table.reportFailure('r', 'operator');
    clock.advance(999);
    expect(table.get('r')?.state).toBe('dead');
    clock.advance(1);
    expect(table.get('r')).toBeUndefined();
    expect(seen.map((t) => [t.reason, t.atMs])).toEqual([
      ['registered', 0],
      ['reported-failure', 0],
      ['expired', 1000],
    ]);
  });

  it('counts the time dead across a restart', () => {
    const clock = new ManualClock({ startMs: 0, wallStartMs: 1_800_000_000_000 });
    const table = new NodeTable({ clock }, { forgetAfterMs: HOUR });
    const seen: NodeTransition[] = [];
    table.on('transition', (t) => seen.push(t));
    table.restore({
      id: 'old',
      state: 'dead',
      stateReason: 'dead-grace-expired',
      stateSinceWallMs: 1_800_000_000_000 - HOUR + 5000,
    });
    clock.advance(4999);
    expect(table.get('old')?.state).toBe('dead');
    clock.advance(1);
    expect(table.get('old')).toBeUndefined();
    expect(seen.map((t) => t.reason)).toEqual(['expired']);
  });
});

describe('Monitor retention', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hb-retention-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = (retention: Partial<MonitorConfig['retention']>): MonitorConfig => {
    const base = testConfig({
      udpPort: null,
      tcpPort: null,
      httpPort: null,
      dataPath: path.join(dir, 'h.db'),
    });
    return { ...base, retention: { ...base.retention, ...retention } };
  };

  it('deletes an expired node from the registry but keeps its history', async () => {
    const clock = new ManualClock();
    const monitor = createMonitor({ clock }, config({ forgetAfterMs: 60_000 }));
    await monitor.start();
    monitor.ingest({ type: 'heartbeat', nodeId: 'gone', incarnation: 1, seq: 1 }, peer);
    monitor.ingest({ type: 'leave', nodeId: 'gone', incarnation: 1, seq: 2 }, peer);
    clock.advance(60_000);
    expect(monitor.table.get('gone')).toBeUndefined();
    const store = monitor.history;
    expect(await store?.loadNodes()).toEqual([]);
    const rows = (await store?.transitions({ nodeId: 'gone' }))?.rows ?? [];
    expect(rows.map((r) => `${r.from}→${r.to} ${r.reason}`)).toEqual([
      'left→left expired',
      'alive→left leave',
      'unknown→alive first-heartbeat',
      'unknown→unknown first-heartbeat',
    ]);
    await monitor.stop();
    const again = createMonitor({ clock: new ManualClock() }, config({ forgetAfterMs: 60_000 }));
    await again.start();
    expect(again.table.size).toBe(0); // not back after a restart
    await again.stop();
  });

  it('prunes the history by count and by age', async () => {
    const clock = new ManualClock({ startMs: 0, wallStartMs: 1_800_000_000_000 });
    const monitor = createMonitor({ clock }, config({ historyMaxRows: 3, historyMaxAgeMs: null }));
    await monitor.start();
    for (const id of ['a', 'b', 'c', 'd']) await monitor.register(id);
    expect(await monitor.prune()).toBe(1);
    expect((await monitor.history?.transitions({}))?.rows.map((r) => r.nodeId)).toEqual([
      'd',
      'c',
      'b',
    ]);
    await monitor.stop();

    const later = new ManualClock({ startMs: 0, wallStartMs: 1_800_000_000_000 + 2 * HOUR });
    const aged = createMonitor(
      { clock: later },
      config({ historyMaxRows: null, historyMaxAgeMs: HOUR }),
    );
    await aged.start();
    await aged.register('fresh');
    later.advance(60_000); // the prune period
    await new Promise<void>((resolve) => setImmediate(resolve));
    const rows = (await aged.history?.transitions({}))?.rows ?? [];
    // The registrations of two hours ago are gone; what happened since stays: the four restored
    // nodes' and `fresh`'s genuine `never-came-up` (none was ever heard).
    expect(rows.filter((r) => r.reason === 'registered').map((r) => r.nodeId)).toEqual(['fresh']);
    expect(rows.every((r) => r.wallMs >= later.wallMs() - HOUR)).toBe(true);
    expect(rows.filter((r) => r.reason === 'never-came-up')).toHaveLength(5);
    await aged.stop();
  });
});

describe('retention configuration', () => {
  it('takes days of milliseconds and off, and refuses nonsense in one line', () => {
    const config = loadMonitorConfig({
      overrides: {
        retention: { forgetAfterMs: 30 * 24 * HOUR, historyMaxRows: 'off' as unknown as null },
      },
    });
    expect(config.retention).toEqual({
      forgetAfterMs: 30 * 24 * HOUR,
      historyMaxAgeMs: 90 * 24 * HOUR,
      historyMaxRows: null,
    });
    expect(() => loadMonitorConfig({ overrides: { retention: { historyMaxRows: -1 } } })).toThrow(
      ConfigError,
    );
    expect(() => loadMonitorConfig({ overrides: { retention: { keep: 1 } as never } })).toThrow(
      /retention\.keep/,
    );
  });
});
