/**
 * What is genuine across a restart (docs/PAUSE-GUARD.md, "Across a restart"): every lifecycle
 * state, restarts within and beyond the dead-after time, after `stop()` (SIGTERM) and after a
 * kill (the store closed with nothing more written, as SIGKILL leaves it). Each case counts the
 * transitions the second monitor announces: only genuine ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { NodeTransition } from '../../src/membership/types.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import type { SqliteHistoryStore } from '../../src/store/sqlite-store.js';
import type { Peer } from '../../src/transport/listener.js';
import { testConfig } from './helpers.js';

const peer: Peer = { transport: 'udp', address: '127.0.0.1', port: 1 };
const WALL = 1_800_000_000_000;
// Timeout detector 300 ms, dead after 500 ms, startup grace 2 s, start deferral 200 ms.
const DEAD_AFTER_MS = 500;

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hb-restart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One node's sender: numbered heartbeats of one incarnation. */
class Sender {
  seq = 0;
  constructor(readonly id: string) {}
  beat(monitor: Monitor): void {
    monitor.ingest(
      { type: 'heartbeat', nodeId: this.id, incarnation: 7, seq: ++this.seq, intervalMs: 100 },
      peer,
    );
  }
}

/** A monitor on the shared file, its clock, and the transitions it announced. */
async function monitorAt(wallMs: number, checkpointMs = 10_000) {
  const clock = new ManualClock({ startMs: 0, wallStartMs: wallMs });
  const config = testConfig({
    udpPort: null,
    tcpPort: null,
    httpPort: null,
    dataPath: path.join(dir, 'history.db'),
    startupGraceMs: 2000,
  });
  const monitor = createMonitor({ clock }, config, { checkpointMs });
  const seen: NodeTransition[] = [];
  monitor.on('transition', (t) => seen.push(t));
  await monitor.start();
  const says = () => seen.map((t) => `${t.nodeId} ${t.from}→${t.to} ${t.reason}`);
  return { clock, monitor, seen, says };
}

/** Runs `ms` of time on `clock`, with `senders` beating every 100 ms. */
function run(clock: ManualClock, monitor: Monitor, ms: number, senders: Sender[] = []): void {
  for (let t = 0; t < ms; t += 100) {
    for (const s of senders) s.beat(monitor);
    clock.advance(100);
  }
}

/** Ends the first monitor: `stop()` as on SIGTERM, or `kill` (nothing more reaches the file). */
async function end(monitor: Monitor, how: 'stop' | 'kill'): Promise<void> {
  if (how === 'stop') await monitor.stop();
  else (monitor.history as SqliteHistoryStore).close();
}

describe.each(['stop', 'kill'] as const)('after %s', (how) => {
  it.each([
    ['within the dead-after time', 300],
    ['beyond the dead-after time', 60_000],
  ])('a node that left stays left and a dead node stays dead (%s)', async (_name, downMs) => {
    const first = await monitorAt(WALL);
    const leaver = new Sender('leaver');
    const victim = new Sender('victim');
    run(first.clock, first.monitor, 1000, [leaver, victim]);
    first.monitor.ingest({ type: 'leave', nodeId: 'leaver', incarnation: 7, seq: 11 }, peer);
    run(first.clock, first.monitor, 2000); // victim: suspect, then dead
    expect(first.monitor.table.get('victim')?.state).toBe('dead');
    first.clock.advance(0);
    await end(first.monitor, how);

    const second = await monitorAt(WALL + 3000 + downMs);
    expect(second.monitor.table.get('leaver')?.state).toBe('left');
    expect(second.monitor.table.get('victim')?.state).toBe('dead');
    run(second.clock, second.monitor, 10_000);
    expect(second.says()).toEqual([]); // no second alert, ever
    // A dead node heard again recovers: genuine.
    victim.beat(second.monitor);
    second.clock.advance(0);
    expect(second.says()).toEqual(['victim dead→alive heartbeat']);
    await second.monitor.stop();
  });

  it.each([
    ['within the dead-after time', 300],
    ['beyond the dead-after time', 60_000],
  ])(
    'a node that keeps beating stays alive, silently, with its counters (%s)',
    async (_n, downMs) => {
      const first = await monitorAt(WALL, 1000);
      const node = new Sender('web-1');
      run(first.clock, first.monitor, 2500, [node]);
      const before = first.monitor.table.get('web-1');
      first.clock.advance(0);
      await end(first.monitor, how);
      // The sender goes on while the monitor is down: those heartbeats are missed, not lost.
      node.seq += Math.floor(downMs / 100);

      const second = await monitorAt(WALL + 2500 + downMs);
      const restored = second.monitor.table.get('web-1');
      expect(restored?.state).toBe('alive');
      // After stop everything was saved; after a kill, the last checkpoint (at 2 s).
      expect(restored?.heartbeats).toBe(how === 'stop' ? before?.heartbeats : 20);
      expect(restored?.lastArrivalWallMs).toBe(
        how === 'stop' ? before?.lastArrivalWallMs : WALL + 1900,
      );
      run(second.clock, second.monitor, 5000, [node]);
      expect(second.says()).toEqual([]); // no alive hook again, no suspicion
      expect(second.monitor.table.get('web-1')?.lost).toBe(0);
      await second.monitor.stop();
    },
  );

  it('a node that was alive and fell silent while the monitor was down is convicted after the restart, once', async () => {
    const first = await monitorAt(WALL);
    const node = new Sender('db-1');
    run(first.clock, first.monitor, 1000, [node]);
    first.clock.advance(0);
    await end(first.monitor, how);

    const second = await monitorAt(WALL + 1000 + 60_000);
    expect(second.monitor.table.get('db-1')?.state).toBe('alive');
    second.clock.advance(250);
    expect(second.says()).toEqual([]); // its grace: the monitor could not hear it while down
    run(second.clock, second.monitor, 5000);
    expect(second.says()).toEqual([
      'db-1 alive→suspect detector',
      'db-1 suspect→dead dead-grace-expired',
    ]);
    // Silence is counted from the restart, not from before the downtime.
    expect(second.seen[0]?.atMs).toBeGreaterThanOrEqual(300);
    await second.monitor.stop();
  });

  it('a suspect node whose dead grace ran out while the monitor was down is dead after the start grace, once', async () => {
    const first = await monitorAt(WALL);
    const node = new Sender('cache-2');
    run(first.clock, first.monitor, 1000, [node]);
    run(first.clock, first.monitor, 300); // suspect at 1200
    first.clock.advance(0);
    await end(first.monitor, how);

    const second = await monitorAt(WALL + 1300 + 60_000);
    expect(second.monitor.table.get('cache-2')?.state).toBe('suspect');
    run(second.clock, second.monitor, 2000);
    expect(second.says()).toEqual(['cache-2 suspect→dead dead-grace-expired']);
    expect(second.seen[0]?.atMs).toBe(200); // the start grace: heartbeats queued meanwhile come first
    await second.monitor.stop();
  });

  it('a node that was alive and falls silent soon after a short restart is convicted by its own silence', async () => {
    const first = await monitorAt(WALL);
    const node = new Sender('api-1');
    run(first.clock, first.monitor, 1000, [node]);
    first.clock.advance(0);
    await end(first.monitor, how);

    const second = await monitorAt(WALL + 1000 + 200);
    run(second.clock, second.monitor, 300, [node]); // heard after the restart, then silent
    run(second.clock, second.monitor, 2000);
    expect(second.says()).toEqual([
      'api-1 alive→suspect detector',
      'api-1 suspect→dead dead-grace-expired',
    ]);
    expect(second.seen[0]?.atMs).toBe(200 + 300); // 300 ms after its last heartbeat at 200
    await second.monitor.stop();
  });

  it('a suspect node stays suspect and is dead when its dead grace runs out', async () => {
    const first = await monitorAt(WALL);
    const node = new Sender('cache-1');
    run(first.clock, first.monitor, 1000, [node]);
    run(first.clock, first.monitor, 300); // last heartbeat at 900: suspect at 1200
    expect(first.monitor.table.get('cache-1')?.state).toBe('suspect');
    first.clock.advance(0);
    await end(first.monitor, how);

    const second = await monitorAt(WALL + 1300);
    expect(second.monitor.table.get('cache-1')?.state).toBe('suspect');
    run(second.clock, second.monitor, 2000);
    expect(second.says()).toEqual(['cache-1 suspect→dead dead-grace-expired']);
    // Its dead grace ran from when it became suspect, 100 ms before the restart.
    expect(second.seen[0]?.atMs).toBe(DEAD_AFTER_MS - 100);
    await second.monitor.stop();
  });

  it('a registered node never heard keeps its registration deadline', async () => {
    const first = await monitorAt(WALL);
    await first.monitor.register('batch-1');
    run(first.clock, first.monitor, 500);
    await end(first.monitor, how);

    // Within its startup grace (2 s from registration): dead when that runs out, not 2 s later.
    const second = await monitorAt(WALL + 1200);
    expect(second.monitor.table.get('batch-1')?.state).toBe('unknown');
    run(second.clock, second.monitor, 3000);
    expect(second.says()).toEqual(['batch-1 unknown→dead never-came-up']);
    expect(second.seen[0]?.atMs).toBe(800);
    await second.monitor.stop();

    // A registered node heard after the restart is alive: genuine.
    const third = await monitorAt(WALL + 10_000);
    expect(third.monitor.table.get('batch-1')?.state).toBe('dead');
    run(third.clock, third.monitor, 1000);
    expect(third.says()).toEqual([]);
    await third.monitor.stop();
  });
});
