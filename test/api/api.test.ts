import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { MAX_HTTP_BODY_BYTES } from '../../src/core/limits.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { connectTcp, nextEvent, quietApiConfig, testConfig } from '../monitor/helpers.js';

/**
 * Every endpoint of the HTTP API and every error, against a real monitor on loopback. Timing
 * is kept out of it: the detector's timeout is long, so nodes stay as the requests leave them.
 */
describe('HTTP API', () => {
  let monitor: Monitor;
  let base = '';

  beforeAll(async () => {
    monitor = createMonitor({ clock: new SystemClock() }, quietApiConfig(), {
      api: { processMetrics: false },
    });
    const ports = await monitor.start();
    base = `http://127.0.0.1:${ports.httpPort}`;
  });
  afterAll(async () => {
    await monitor.stop();
  });

  const call = async (method: string, path: string, body?: string | object) => {
    const res = await fetch(base + path, {
      method,
      // What a state change needs (a browser on another site cannot send it unasked).
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json: json as Record<string, unknown>, headers: res.headers };
  };
  const rejected = () => monitor.stats().ingest.rejected.http;

  it('GET /healthz says ok', async () => {
    const { status, json } = await call('GET', '/healthz');
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'ok' });
  });

  it('POST /v1/nodes registers (201), again updates (200); GET lists and shows it', async () => {
    const created = await call('POST', '/v1/nodes', {
      id: 'db-1',
      address: '10.0.0.5:5432',
      tags: ['db', 'eu'],
      intervalMs: 2000,
    });
    expect(created.status).toBe(201);
    expect(created.json['node']).toMatchObject({ id: 'db-1', state: 'unknown', intervalMs: 2000 });
    const updated = await call('POST', '/v1/nodes', { id: 'db-1', tags: ['db'] });
    expect(updated.status).toBe(200);
    expect(updated.json['node']).toMatchObject({ tags: ['db'], address: '10.0.0.5:5432' });

    const list = await call('GET', '/v1/nodes');
    expect(list.status).toBe(200);
    const nodes = list.json['nodes'] as { id: string; status: string }[];
    expect(nodes.find((n) => n.id === 'db-1')?.status).toBe('no heartbeat received yet');
    expect(list.json['counts']).toMatchObject({ unknown: expect.any(Number) });

    const one = await call('GET', '/v1/nodes/db-1');
    expect(one.status).toBe(200);
    expect(one.json['node']).toMatchObject({ id: 'db-1', state: 'unknown' });
    const transitions = one.json['transitions'] as { to: string; reason: string }[];
    expect(transitions[0]).toMatchObject({ to: 'unknown', reason: 'registered' });
    expect(one.json).toHaveProperty('evidence');
  });

  it('POST /v1/heartbeat takes a JSON message; GET /v1/nodes shows payload and status', async () => {
    const beat = await call('POST', '/v1/heartbeat', {
      nodeId: 'web-1',
      incarnation: 1,
      seq: 1,
      intervalMs: 1000,
      payload: { load: 0.5, version: '1.2.3' },
    });
    expect(beat).toMatchObject({ status: 200, json: { outcome: 'accepted', state: 'alive' } });
    const dup = await call('POST', '/v1/heartbeat', { nodeId: 'web-1', incarnation: 1, seq: 1 });
    expect(dup.json['outcome']).toBe('duplicate');
    const list = await call('GET', '/v1/nodes?state=alive');
    const web = (list.json['nodes'] as Record<string, unknown>[]).find((n) => n['id'] === 'web-1');
    expect(web).toMatchObject({
      state: 'alive',
      payload: { load: 0.5, version: '1.2.3' },
      suspicion: expect.any(Number),
      sinceLastMs: expect.any(Number),
    });
    expect(String(web?.['status'])).toMatch(/^ALIVE, last heartbeat/);
  });

  it('push pings: GET and POST /ping/:node, then /fail and /leave', async () => {
    const first = await call('GET', '/ping/backup-job');
    expect(first).toMatchObject({ status: 200, json: { outcome: 'accepted', state: 'alive' } });
    const withPayload = await call('POST', '/ping/backup-job', { rows: 120, db: 'main' });
    expect(withPayload.status).toBe(200);
    expect(monitor.table.get('backup-job')?.payload).toEqual({ rows: 120, db: 'main' });

    const dead = nextEvent(monitor, 'node:dead', (t) => t.nodeId === 'backup-job');
    const failed = await call('POST', '/ping/backup-job/fail', { exit: 3 });
    expect(failed.status).toBe(200);
    expect((await dead).reason).toBe('reported-failure');

    const left = await call('POST', '/ping/backup-job/leave');
    expect(left).toMatchObject({ status: 200, json: { outcome: 'left', state: 'left' } });
  });

  it('GET /v1/events pages the history with filters and a cursor', async () => {
    for (let i = 0; i < 3; i++) await call('GET', `/ping/pager-${i}`);
    const page1 = await call('GET', '/v1/events?state=alive&limit=2');
    expect(page1.status).toBe(200);
    const rows1 = page1.json['events'] as { id: number; to: string }[];
    expect(rows1).toHaveLength(2);
    expect(rows1.every((r) => r.to === 'alive')).toBe(true);
    const cursor = page1.json['nextBefore'] as number;
    expect(cursor).toBe(rows1[1]?.id);
    const page2 = await call('GET', `/v1/events?state=alive&limit=2&before=${cursor}`);
    const rows2 = page2.json['events'] as { id: number }[];
    expect(rows2[0]?.id).toBeLessThan(cursor);
    const one = await call('GET', '/v1/events?node=pager-1');
    expect((one.json['events'] as { nodeId: string }[]).map((r) => r.nodeId)).toEqual([
      'pager-1',
      'pager-1',
    ]);
  });

  it('GET /v1/events/stream delivers each transition as a named event', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/v1/events/stream?node=streamed`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await call('GET', '/ping/other-node'); // filtered out
    await call('GET', '/ping/streamed');
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: node:alive')) {
      const { value } = await reader.read();
      text += decoder.decode(value, { stream: true });
    }
    expect(text).not.toContain('other-node');
    const block = text.slice(text.indexOf('event: node:joined'));
    const dataLine = block.split('\n').find((l) => l.startsWith('data: ')) as string;
    expect(JSON.parse(dataLine.slice(6))).toMatchObject({ nodeId: 'streamed', to: 'unknown' });
    expect(text).toContain('event: node:alive');
    controller.abort();
  });

  it('DELETE /v1/nodes/:id removes a node; the second time it is unknown (404)', async () => {
    await call('POST', '/v1/nodes', { id: 'temp-1' });
    expect((await call('DELETE', '/v1/nodes/temp-1')).status).toBe(200);
    expect(monitor.table.get('temp-1')).toBeUndefined();
    expect(await call('DELETE', '/v1/nodes/temp-1')).toMatchObject({
      status: 404,
      json: { error: 'unknown-node' },
    });
  });

  it('every bad request is a 4xx with a reason, counted, and the service unaffected', async () => {
    const cases: [string, string, string | object | undefined, number, string][] = [
      ['GET', '/nope', undefined, 404, 'not-found'],
      ['PUT', '/v1/nodes', '{}', 405, 'method-not-allowed'],
      ['POST', '/v1/heartbeat', '{bad', 400, 'bad-json'],
      ['POST', '/v1/heartbeat', '[1,2]', 400, 'bad-json'],
      ['POST', '/v1/heartbeat', { nodeId: 'has space' }, 400, 'bad-node-id'],
      ['POST', '/v1/heartbeat', { nodeId: 'x', seq: -1 }, 400, 'bad-field'],
      ['POST', '/v1/heartbeat', 'x'.repeat(MAX_HTTP_BODY_BYTES + 1), 413, 'body-too-large'],
      ['POST', '/v1/nodes', { id: '' }, 400, 'bad-node-id'],
      ['POST', '/v1/nodes', { id: 'ok', intervalMs: -5 }, 400, 'bad-field'],
      ['POST', '/v1/nodes', { id: 'ok', intervalMs: 1e12 }, 400, 'bad-field'],
      ['POST', '/v1/nodes', { id: 'ok', intervalMs: 86_400_001 }, 400, 'bad-field'],
      ['POST', '/v1/heartbeat', { nodeId: 'x', intervalMs: 1e9 }, 400, 'bad-field'],
      ['POST', '/v1/nodes', { id: 'ok', tags: 'db' }, 400, 'bad-field'],
      ['POST', '/v1/nodes', 'null', 400, 'bad-json'],
      ['GET', '/v1/nodes/never-seen', undefined, 404, 'unknown-node'],
      ['GET', '/v1/nodes?state=sleepy', undefined, 400, 'bad-field'],
      ['GET', '/v1/events?limit=0', undefined, 400, 'bad-field'],
      ['GET', '/v1/events?before=abc', undefined, 400, 'bad-field'],
      ['GET', '/v1/nodes/%E0%A4%A', undefined, 400, 'bad-url'],
      ['POST', '/ping/job/fail', undefined, 404, 'unknown-node'],
      ['POST', '/ping/job/leave', undefined, 404, 'unknown-node'],
      ['POST', '/ping/job', '"text"', 400, 'bad-payload'],
      ['POST', '/ping/job', { nested: { a: 1 } }, 400, 'bad-payload'],
      ['POST', '/ping/backup-job/fail', { log: 'x'.repeat(5000) }, 400, 'bad-payload'],
      ['DELETE', '/healthz', undefined, 405, 'method-not-allowed'],
    ];
    const before = { ...rejected() };
    for (const [method, path, body, status, reason] of cases) {
      const res = await call(method, path, body);
      expect([method, path, res.status, res.json['error']]).toEqual([method, path, status, reason]);
    }
    const after = rejected();
    const counted = (r: string) => (after[r] ?? 0) - (before[r] ?? 0);
    expect(counted('bad-json')).toBe(3);
    expect(counted('not-found')).toBe(1);
    expect(counted('body-too-large')).toBe(1);
    expect(counted('unknown-node')).toBe(3);
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect(monitor.table.get('job')).toBeUndefined();
  });

  it('a chunked body that grows past the limit is refused with 413 while it streams', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${base}/v1/heartbeat`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // No Content-Length: Node sends it chunked, so only counting the bytes can stop it.
      for (let i = 0; i < 20; i++) req.write('x'.repeat(8192));
      req.end();
    });
    expect(status).toBe(413);
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('a request that is not HTTP gets 400 and is counted as bad-http', async () => {
    const before = rejected()['bad-http'] ?? 0;
    const socket = await connectTcp(Number(new URL(base).port));
    let reply = '';
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('NOT HTTP AT ALL\r\n\r\n');
    await ended;
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(rejected()['bad-http']).toBe(before + 1);
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('GET /v1/stats and GET /metrics show received, rejected by reason, nodes by state', async () => {
    const stats = await call('GET', '/v1/stats');
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({
      ingest: { received: { http: expect.any(Number) }, rejected: { http: expect.any(Object) } },
      nodesByState: { alive: expect.any(Number) },
      stalls: { stalls: 0 },
    });
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const received = monitor.stats().ingest.received.http;
    expect(text).toContain(`heartbeat_messages_received_total{transport="http"} ${received}`);
    expect(text).toMatch(/heartbeat_rejected_total\{transport="http",reason="bad-json"\} [1-9]/);
    expect(text).toMatch(/heartbeat_nodes\{state="alive"\} [1-9]/);
    expect(text).toMatch(/heartbeat_transitions_total\{to="dead"\} [1-9]/);
    expect(text).toMatch(/heartbeat_transitions_total\{to="removed"\} [1-9]/);
    // The only failure so far was reported, not detected: no detection latency observed.
    expect(text).not.toContain('heartbeat_detection_latency_seconds_count{');
    expect(text).toContain('heartbeat_monitor_stalls_total 0');
  });
});

describe('HTTP connection limit', () => {
  it('refuses connections beyond the limit and counts them', async () => {
    const monitor = createMonitor(
      { clock: new SystemClock() },
      testConfig({ udpPort: null, tcpPort: null }),
      { api: { processMetrics: false, maxConnections: 1 } },
    );
    const { httpPort } = await monitor.start();
    try {
      const first = await connectTcp(httpPort as number);
      const second = await connectTcp(httpPort as number);
      await new Promise<void>((resolve) => second.once('close', () => resolve()));
      expect(monitor.stats().ingest.rejected.http).toEqual({ 'connection-limit': 1 });
      first.destroy();
    } finally {
      await monitor.stop();
    }
  });
});
