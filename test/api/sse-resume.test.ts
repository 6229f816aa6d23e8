/**
 * Resumable event streams: `id:` on every stored transition, `Last-Event-ID` replays what the
 * client missed without gap or duplicate, and a gap that cannot be filled is said.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { ManualClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { HistoryStore } from '../../src/store/history-store.js';
import { SqliteHistoryStore } from '../../src/store/sqlite-store.js';
import { testConfig } from '../monitor/helpers.js';
import { FrameReader } from './sse-frames.js';

describe('SSE resume', () => {
  const monitors: Monitor[] = [];
  const aborts: AbortController[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const a of aborts.splice(0)) a.abort();
    for (const m of monitors.splice(0)) await m.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function dataPath(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-sse-'));
    dirs.push(dir);
    return path.join(dir, 'history.db');
  }

  async function stream(base: string, lastEventId?: number, query = ''): Promise<FrameReader> {
    const abort = new AbortController();
    aborts.push(abort);
    const headers: Record<string, string> =
      lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) };
    const res = await fetch(`${base}/v1/events/stream${query}`, { signal: abort.signal, headers });
    expect(res.status).toBe(200);
    return new FrameReader(res.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>);
  }

  async function started() {
    const clock = new ManualClock();
    const config = testConfig({ udpPort: null, tcpPort: null, dataPath: dataPath() });
    const monitor = createMonitor({ clock }, config, { api: { processMetrics: false } });
    monitors.push(monitor);
    const { httpPort } = await monitor.start();
    return { monitor, base: `http://127.0.0.1:${httpPort}` };
  }

  it('gives every stored transition its history row id', async () => {
    const { monitor, base } = await started();
    const live = await stream(base);
    await monitor.register('a');
    await monitor.register('b');
    const frames = await live.next(2);
    const rows = (await monitor.history?.transitions({}))?.rows ?? [];
    expect(frames.map((f) => [f.id, f.event, f.data['nodeId']])).toEqual([
      [rows[1]?.id, 'node:joined', 'a'],
      [rows[0]?.id, 'node:joined', 'b'],
    ]);
    expect(frames.map((f) => f.data['id'])).toEqual(frames.map((f) => f.id));
  });

  it('replays what was missed after Last-Event-ID, then goes live, each event once', async () => {
    const { monitor, base } = await started();
    const first = await stream(base);
    await monitor.register('a');
    const [seen] = await first.next(1);
    aborts.splice(0).forEach((a) => a.abort()); // the client goes away
    await monitor.register('b');
    await monitor.register('c');

    const resumed = await stream(base, seen?.id ?? 0);
    const replayed = await resumed.next(2);
    expect(replayed.map((f) => f.data['nodeId'])).toEqual(['b', 'c']);
    expect(replayed.map((f) => f.event)).toEqual(['node:joined', 'node:joined']);
    await monitor.register('d');
    const all = await resumed.next(3);
    expect(all.map((f) => f.data['nodeId'])).toEqual(['b', 'c', 'd']);
    const ids = all.map((f) => f.id as number);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toBe((seen?.id as number) + 1);
  });

  it('replays only what the filter takes', async () => {
    const { monitor, base } = await started();
    await monitor.register('a');
    await monitor.register('b');
    await monitor.register('a', { tags: ['x'] }); // an update: no transition
    const resumed = await stream(base, 0, '?node=b');
    const [only] = await resumed.next(1);
    expect(only?.data['nodeId']).toBe('b');
    await monitor.register('c');
    await monitor.register('b', { tags: [] });
    expect(await monitor.remove('b')).toBe(true);
    const [, removed] = await resumed.next(2);
    expect(removed).toMatchObject({ event: 'node:removed', data: { nodeId: 'b' } });
  });

  it('says so with a gap event when the missed transitions were pruned', async () => {
    const { monitor, base } = await started();
    for (const id of ['a', 'b', 'c', 'd']) await monitor.register(id);
    const store = monitor.history as SqliteHistoryStore;
    const newest = store.lastTransitionId();
    const removed = store.prune({
      maxAgeMs: null,
      maxRows: 2,
      nowWallMs: 0,
      maxDeletes: 1000,
    });
    expect(removed).toBe(2);
    const resumed = await stream(base, newest - 4);
    const [gap, ...rest] = await resumed.next(3);
    expect(gap).toMatchObject({
      id: null,
      event: 'gap',
      data: { afterId: newest - 4, resumeId: newest - 1 },
    });
    expect(rest.map((f) => f.data['nodeId'])).toEqual(['c', 'd']);
  });

  it('holds live events that arrive during a slow replay and sends them after it, once', async () => {
    const clock = new ManualClock();
    const inner = SqliteHistoryStore.open(dataPath());
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let slow = false;
    // A store that answers history queries late, as one over the network does.
    const store: HistoryStore = {
      location: inner.location,
      loadNodes: () => inner.loadNodes(),
      commit: (batch) => inner.commit(batch),
      transitions: async (query) => {
        if (slow) await gate;
        return inner.transitions(query);
      },
      lastTransitionId: () => inner.lastTransitionId(),
      prune: (policy) => inner.prune(policy),
      close: () => inner.close(),
    };
    const monitor = new Monitor(
      {
        clock,
        store: () => store,
        http: ({ monitor: m }) => {
          const api = new ApiServer({ monitor: m }, { processMetrics: false });
          return { start: () => api.start('127.0.0.1', 0), stop: () => api.stop() };
        },
      },
      testConfig({ udpPort: null, tcpPort: null }),
    );
    monitors.push(monitor);
    const { httpPort } = await monitor.start();
    const base = `http://127.0.0.1:${httpPort}`;
    await monitor.register('a');
    await monitor.register('b');
    slow = true;
    const resumed = await stream(base, 0);
    await monitor.register('c'); // stored now; announced while the replay waits
    release();
    const frames = await resumed.next(3);
    expect(frames.map((f) => f.data['nodeId'])).toEqual(['a', 'b', 'c']);
    await monitor.register('d');
    const all = await resumed.next(4);
    expect(all.map((f) => f.data['nodeId'])).toEqual(['a', 'b', 'c', 'd']);
    expect(new Set(all.map((f) => f.id)).size).toBe(4);
  });

  it('refuses a Last-Event-ID that is not a row id', async () => {
    const { base } = await started();
    const res = await fetch(`${base}/v1/events/stream`, { headers: { 'last-event-id': 'x1' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad-field' });
  });
});
