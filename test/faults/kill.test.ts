/**
 * Fault suite: the monitor killed (SIGKILL) or stopped (SIGTERM) under load — 50 agents that
 * keep beating and 500 that fall silent at once, so hundreds of transitions are in flight when
 * it goes. After a restart on the same file and ports: every transition announced on the event
 * stream before the kill is in the history, none is announced twice across the restart, and no
 * node that kept beating is convicted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliProcess } from '../integration/cli-process.js';
import { change, counts, history, monitorOn, record, startFleet, until } from './harness.js';

const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.each(['SIGKILL', 'SIGTERM'] as const)('the monitor ended by %s under load', (signal) => {
  it('loses no announced transition, repeats none, and convicts no live node', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-fault-'));
    dirs.push(dir);
    const data = path.join(dir, 'history.db');
    const first = await monitorOn(data);
    running.push(first);
    const seen1 = await record(first);
    const steady = await startFleet(first.udp, 'steady-', 50);
    const burst = await startFleet(first.udp, 'burst-', 500);
    running.push(steady, burst);
    await until(async () => (await counts(first)).alive === 550, 30_000, '550 alive');

    burst.child.kill('SIGKILL'); // 500 nodes silent at once
    await until(
      () => seen1.frames.filter((f) => f.event === 'node:suspect').length >= 100,
      30_000,
      'the burst under way',
    );
    first.child.kill(signal);
    expect(await first.exited).toBe(signal === 'SIGTERM' ? 0 : 'SIGKILL');
    seen1.close();
    const announced1 = seen1.frames.filter((f) => f.event.startsWith('node:'));
    expect(announced1.every((f) => f.id !== null)).toBe(true);

    const second = await monitorOn(data, first);
    running.push(second);
    const seen2 = await record(second);
    await until(async () => (await counts(second)).dead === 500, 30_000, 'the burst all dead');
    const stored = await history(second);
    seen2.close();

    // Every announced transition is stored, as announced.
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const f of announced1) {
      expect(change(byId.get(f.id as number) ?? {}), `event ${f.id}`).toBe(change(f.data));
    }
    // None announced twice across the restart: each node's stored changes chain (each starts
    // where the one before ended), so the restarted monitor took up every node where the first
    // one left it; a change made again after the restart would break the chain.
    const announced2 = seen2.frames.filter((f) => f.event.startsWith('node:'));
    for (const f of announced2) expect(byId.has(f.id as number), `event ${f.id}`).toBe(true);
    const broken: string[] = [];
    const lastTo = new Map<string, string>();
    for (const row of stored) {
      const before = lastTo.get(row.nodeId);
      if (before !== undefined && row.from !== before)
        broken.push(`${change(row)} after →${before}`);
      lastTo.set(row.nodeId, row.to);
    }
    expect(broken).toEqual([]);
    for (let i = 0; i < 500; i++) {
      expect(stored.filter((r) => r.nodeId === `burst-${i}` && r.to === 'dead')).toHaveLength(1);
    }
    // The steady fleet kept beating through it all: never convicted, never re-announced.
    expect(
      stored.filter(
        (r) => r.nodeId.startsWith('steady-') && r.to !== 'alive' && r.to !== 'unknown',
      ),
    ).toEqual([]);
    expect(seen2.frames.filter((f) => String(f.data['nodeId']).startsWith('steady-'))).toEqual([]);
    expect((await counts(second)).alive).toBe(50);
  });
});
