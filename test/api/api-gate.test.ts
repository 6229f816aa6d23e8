import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { quietApiConfig } from '../monitor/helpers.js';

/**
 * What the API refuses of requests a browser could be made to send (no tokens configured, the
 * case these rules matter most in): another Host, a state change that is not JSON, a GET that
 * changes state, a foreign Origin, and CORS unless configured. Raw HTTP, so every header is the
 * test's own (the browser's own view is test/integration/browser-attacks.test.ts).
 */
describe('the API gate', () => {
  let monitor: Monitor;
  let port = 0;

  beforeAll(async () => {
    const config = {
      ...quietApiConfig(),
      allowedHosts: ['monitor.example.com', '.internal.example'],
      corsOrigins: ['https://ops.example.com'],
    };
    monitor = createMonitor({ clock: new SystemClock() }, config, {
      api: { processMetrics: false, dashboardDir: null },
    });
    port = (await monitor.start()).httpPort as number;
  });
  afterAll(async () => {
    await monitor.stop();
  });

  const request = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ) =>
    new Promise<{ status: number; error: unknown; headers: http.IncomingHttpHeaders }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            headers: { host: `127.0.0.1:${port}`, ...headers },
          },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => {
              let error: unknown = null;
              try {
                error = (JSON.parse(text) as { error?: unknown }).error;
              } catch {
                // no body
              }
              resolve({ status: res.statusCode ?? 0, error, headers: res.headers });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
  const json = { 'content-type': 'application/json' };

  it('answers IP addresses, localhost and the listed names in Host; refuses other names (DNS rebinding)', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      'LOCALHOST',
      'app.localhost',
      `[::1]:${port}`,
      '10.1.2.3:8080',
      'monitor.example.com',
      'Monitor.Example.Com.:80',
      'internal.example',
      'a.b.internal.example',
    ]) {
      expect([host, (await request('GET', '/v1/nodes', { host })).status]).toEqual([host, 200]);
    }
    const before = monitor.stats().ingest.rejected.http['host-not-allowed'] ?? 0;
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      'example.com',
      'xinternal.example',
    ]) {
      const res = await request('GET', '/healthz', { host });
      expect([host, res.status, res.error]).toEqual([host, 403, 'host-not-allowed']);
    }
    expect(monitor.stats().ingest.rejected.http['host-not-allowed']).toBe(before + 4);
  });

  it('a state change needs content-type: application/json (or an Authorization header)', async () => {
    const body = JSON.stringify({ id: 'forged' });
    for (const type of [
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
      for (const [method, path] of [
        ['POST', '/v1/nodes'],
        ['POST', '/v1/heartbeat'],
        ['POST', '/ping/forged'],
        ['POST', '/ping/forged/fail'],
        ['DELETE', '/v1/nodes/forged'],
      ]) {
        const res = await request(method as string, path as string, headers, body);
        expect([type, path, res.status, res.error]).toEqual([type, path, 415, 'json-required']);
      }
    }
    expect(monitor.table.get('forged')).toBeUndefined();
    expect(
      (
        await request(
          'POST',
          '/v1/nodes',
          { 'content-type': 'application/json; charset=utf-8' },
          body,
        )
      ).status,
    ).toBe(201);
    expect((await request('POST', '/v1/nodes', { authorization: 'Bearer x' }, body)).status).toBe(
      200,
    );
  });

  it('a GET never fails or removes a node: /ping/x/fail and /leave by GET are 405', async () => {
    expect((await request('GET', '/ping/forged')).status).toBe(200);
    for (const path of ['/ping/forged/fail', '/ping/forged/leave']) {
      const res = await request('GET', path);
      expect([path, res.status, res.error, res.headers.allow]).toEqual([
        path,
        405,
        'state-change-by-get',
        'POST',
      ]);
    }
    expect(monitor.table.get('forged')?.state).toBe('alive');
    expect((await request('POST', '/ping/forged/fail', json)).status).toBe(200);
    expect(monitor.table.get('forged')?.state).toBe('dead');
  });

  it('a state change from a page of another origin is refused, whatever its type', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${port + 1}`]) {
      const res = await request(
        'POST',
        '/v1/nodes',
        { ...json, origin },
        JSON.stringify({ id: 'o' }),
      );
      expect([origin, res.status, res.error]).toEqual([origin, 403, 'origin-not-allowed']);
    }
    expect(monitor.table.get('o')).toBeUndefined();
    const same = await request(
      'POST',
      '/v1/nodes',
      { ...json, origin: `http://127.0.0.1:${port}` },
      JSON.stringify({ id: 'o' }),
    );
    expect(same.status).toBe(201);
  });

  it('CORS is closed but for the configured origins', async () => {
    const plain = await request('GET', '/v1/nodes', { origin: 'https://evil.example' });
    expect(plain.status).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = {
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    };
    const refused = await request('OPTIONS', '/v1/nodes', {
      ...preflight,
      origin: 'https://evil.example',
    });
    expect([refused.status, refused.error]).toEqual([403, 'origin-not-allowed']);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    const allowed = await request('OPTIONS', '/v1/nodes', {
      ...preflight,
      origin: 'https://ops.example.com',
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': 'https://ops.example.com',
      'access-control-allow-headers': 'authorization, content-type, last-event-id',
      vary: 'origin',
    });
    const read = await request('GET', '/v1/nodes', { origin: 'https://ops.example.com' });
    expect(read.headers['access-control-allow-origin']).toBe('https://ops.example.com');
    const write = await request(
      'POST',
      '/v1/nodes',
      { ...json, origin: 'https://ops.example.com' },
      JSON.stringify({ id: 'from-ops' }),
    );
    expect(write.status).toBe(201);
  });
});
