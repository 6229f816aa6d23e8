/**
 * GET /v1/nodes paged, against a real monitor on loopback: limit, cursor and filters, a walk that
 * returns every node once, a large page streamed in many turns as one JSON document, and the
 * refusals (bad limit, a cursor this monitor did not give, one from another monitor).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { MAX_NODES_PAGE } from '../../src/core/limits.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { NodeSnapshot } from '../../src/membership/types.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { quietApiConfig } from '../monitor/helpers.js';

interface Page {
  nodes: NodeSnapshot[];
  counts: Record<string, number>;
  nextCursor: string | null;
}

async function started(): Promise<{ monitor: Monitor; base: string }> {
  const monitor = createMonitor({ clock: new SystemClock() }, quietApiConfig(), {
    api: { processMetrics: false },
  });
  const ports = await monitor.start();
  return { monitor, base: `http://127.0.0.1:${ports.httpPort}` };
}

const NODES = 2500;

describe('GET /v1/nodes, paged', () => {
  let monitor: Monitor;
  let base = '';
  beforeAll(async () => {
    ({ monitor, base } = await started());
    for (let i = 0; i < NODES; i++) {
      const id = `${i % 2 === 0 ? 'web' : 'db'}-${i}`;
      if (i % 5 === 0) monitor.table.register(id, { tags: ['eu'] });
      else monitor.table.receive({ type: 'heartbeat', nodeId: id, incarnation: 1, seq: 1 });
    }
  });
  afterAll(async () => {
    await monitor.stop();
  });

  const get = async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const page = async (path: string): Promise<Page> => {
    const { status, json } = await get(path);
    expect(status).toBe(200);
    return json as unknown as Page;
  };
  /** Every node of a walk with the query, following nextCursor. */
  const walk = async (query: string): Promise<{ ids: string[]; pages: number }> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q = new URLSearchParams(query);
      if (cursor !== null) q.set('cursor', cursor);
      const p = await page(`/v1/nodes?${q}`);
      ids.push(...p.nodes.map((n) => n.id));
      cursor = p.nextCursor;
      pages++;
    } while (cursor !== null);
    return { ids, pages };
  };

  it('gives at most 1000 nodes by default, the counts and a cursor', async () => {
    const p = await page('/v1/nodes');
    expect(p.nodes).toHaveLength(1000);
    expect(p.counts).toEqual({ unknown: 500, alive: 2000, suspect: 0, dead: 0, left: 0 });
    expect(typeof p.nextCursor).toBe('string');
    expect(p.nodes[0]).toMatchObject({ id: 'web-0', state: 'unknown', tags: ['eu'] });
  });

  it('walks every node exactly once, following nextCursor', async () => {
    const { ids, pages } = await walk('limit=300');
    expect(pages).toBe(9);
    expect(ids).toHaveLength(NODES);
    expect(new Set(ids).size).toBe(NODES);
  });

  it('filters by state, tag and prefix', async () => {
    expect((await walk('state=unknown&limit=100')).ids).toHaveLength(500);
    expect((await walk('tag=eu')).ids).toHaveLength(500);
    const db = (await walk('prefix=db-&state=alive&limit=250')).ids;
    expect(db).toHaveLength(1000);
    expect(db.every((id) => id.startsWith('db-'))).toBe(true);
    expect((await walk('prefix=nothing')).ids).toEqual([]);
  });

  it('streams a page of MAX_NODES_PAGE as one JSON document', async () => {
    const p = await page(`/v1/nodes?limit=${MAX_NODES_PAGE}`);
    expect(p.nodes).toHaveLength(NODES);
    expect(p.nextCursor).toBeNull();
  });

  it('refuses a bad limit or cursor with 400 bad-field, and counts it', async () => {
    const before = monitor.stats().ingest.rejected.http['bad-field'] ?? 0;
    for (const query of ['limit=0', `limit=${MAX_NODES_PAGE + 1}`, 'limit=x', 'cursor=nope']) {
      const { status, json } = await get(`/v1/nodes?${query}`);
      expect(status).toBe(400);
      expect(json['error']).toBe('bad-field');
    }
    expect(monitor.stats().ingest.rejected.http['bad-field']).toBe(before + 4);
  });

  it("refuses another monitor's cursor, saying to start again", async () => {
    const other = await started();
    try {
      other.monitor.table.receive({ type: 'heartbeat', nodeId: 'x', incarnation: 1, seq: 1 });
      other.monitor.table.receive({ type: 'heartbeat', nodeId: 'y', incarnation: 1, seq: 1 });
      const theirs = (await page('/v1/nodes?limit=1')).nextCursor as string;
      const res = await fetch(`${other.base}/v1/nodes?cursor=${theirs}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/start the walk again/);
    } finally {
      await other.monitor.stop();
    }
  });
});
