import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokens } from '../../src/api/api-tokens.js';
import { parseTokenFile, tokenHash } from '../../src/config/token-file.js';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { quietApiConfig } from '../monitor/helpers.js';

/**
 * Bearer tokens with scopes against a real monitor on loopback: no token, a read token, a write
 * token, an admin token, a wrong one; what each may do, the answers and what is counted.
 */
const READ = 'read-token-0123456789abcdef';
const WRITE = 'write-token-0123456789abcdef';
const BOTH = 'both-token-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef';
const FILE = [
  `read ${READ} grafana`,
  `write sha256:${tokenHash(WRITE).toString('hex')} pusher`,
  `read,write ${BOTH} deploy`,
  `admin ${ADMIN} ops`,
].join('\n');

describe('HTTP API with tokens', () => {
  let monitor: Monitor;
  let base = '';
  const tokens = new ApiTokens(parseTokenFile(FILE, 'test'));

  beforeAll(async () => {
    monitor = createMonitor({ clock: new SystemClock() }, quietApiConfig(), {
      api: { processMetrics: false, tokens },
    });
    base = `http://127.0.0.1:${(await monitor.start()).httpPort}`;
  });
  afterAll(async () => {
    await monitor.stop();
  });

  const call = async (method: string, path: string, token?: string, body?: object) => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (the dashboard's page)
    }
    return { status: res.status, error: json['error'], json, headers: res.headers };
  };
  const rejected = (reason: string) => monitor.stats().ingest.rejected.http[reason] ?? 0;

  it('without a token: only /healthz (and the dashboard page, no data) answer; the rest is 401', async () => {
    const before = rejected('missing-token');
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect([200, 404]).toContain((await call('GET', '/')).status);
    for (const [method, path] of [
      ['GET', '/v1/nodes'],
      ['GET', '/v1/nodes/x'],
      ['GET', '/v1/events'],
      ['GET', '/v1/events/stream'],
      ['GET', '/v1/stats'],
      ['GET', '/metrics'],
      ['GET', '/ping/job'],
      ['POST', '/v1/nodes'],
      ['DELETE', '/v1/nodes/x'],
      ['POST', '/v1/heartbeat'],
      ['GET', '/no-such-path'],
    ] as const) {
      const res = await call(method, path, undefined, method === 'GET' ? undefined : {});
      expect([method, path, res.status, res.error]).toEqual([method, path, 401, 'missing-token']);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="heartbeat"');
      expect(typeof res.json['message']).toBe('string');
    }
    expect(rejected('missing-token')).toBe(before + 11);
    expect(monitor.table.get('job')).toBeUndefined();
  });

  it('a wrong or malformed token is 401 bad-token', async () => {
    const wrong = await call('GET', '/v1/nodes', `${READ}x`);
    expect([wrong.status, wrong.error]).toEqual([401, 'bad-token']);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const res = await fetch(`${base}/v1/nodes`, { headers: { authorization: `Basic ${READ}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('bad-token');
    // The hash, not the token, is not a token.
    const hash = await call('GET', '/v1/nodes', tokenHash(READ).toString('hex'));
    expect(hash.status).toBe(401);
  });

  it('a read token reads everything but may not change anything (403 missing-scope)', async () => {
    for (const path of ['/v1/nodes', '/v1/events', '/v1/stats', '/metrics']) {
      expect([path, (await call('GET', path, READ)).status]).toEqual([path, 200]);
    }
    const register = await call('POST', '/v1/nodes', READ, { id: 'by-reader' });
    expect([register.status, register.error]).toEqual([403, 'missing-scope']);
    expect(register.json['message']).toBe(
      'the token "grafana" has read; POST /v1/nodes needs write',
    );
    expect(register.headers.get('www-authenticate')).toContain('scope="write"');
    expect((await call('POST', '/ping/by-reader/fail', READ, {})).status).toBe(403);
    expect((await call('GET', '/ping/by-reader', READ)).status).toBe(403);
    expect(monitor.table.get('by-reader')).toBeUndefined();
  });

  it('a write token registers, pings, fails and removes, but may not read', async () => {
    expect((await call('POST', '/v1/nodes', WRITE, { id: 'by-writer' })).status).toBe(201);
    expect((await call('GET', '/ping/by-writer', WRITE)).status).toBe(200);
    expect(monitor.table.get('by-writer')?.state).toBe('alive');
    // With a token, a GET of /fail is no cross-site request: a page cannot send the header unasked.
    expect((await call('GET', '/ping/by-writer/fail', WRITE)).status).toBe(200);
    expect(monitor.table.get('by-writer')?.state).toBe('dead');
    const read = await call('GET', '/v1/nodes', WRITE);
    expect([read.status, read.error]).toEqual([403, 'missing-scope']);
    expect((await call('DELETE', '/v1/nodes/by-writer', WRITE)).status).toBe(200);
    expect(monitor.table.get('by-writer')).toBeUndefined();
  });

  it('scopes are each their own: read,write does both, admin alone does neither', async () => {
    expect((await call('POST', '/v1/nodes', BOTH, { id: 'both' })).status).toBe(201);
    expect((await call('GET', '/v1/nodes/both', BOTH)).status).toBe(200);
    expect((await call('GET', '/v1/nodes', ADMIN)).status).toBe(403);
    // /v1/keys needs admin (the keyring's endpoints, where they exist).
    expect((await call('GET', '/v1/keys', BOTH)).error).toBe('missing-scope');
    expect((await call('GET', '/v1/keys', ADMIN)).status).toBe(404);
  });

  it('the event stream takes the token in access_token too (EventSource sends no header)', async () => {
    const refused = await fetch(`${base}/v1/events/stream?access_token=${WRITE}`);
    expect(refused.status).toBe(403);
    await refused.body?.cancel();
    const abort = new AbortController();
    const res = await fetch(`${base}/v1/events/stream?access_token=${READ}`, {
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    abort.abort();
    // Nowhere else.
    expect((await fetch(`${base}/v1/nodes?access_token=${READ}`)).status).toBe(401);
  });

  it('new tokens are in force as soon as they are replaced (SIGHUP), the old ones are not', async () => {
    const fresh = 'fresh-token-0123456789abcdef';
    tokens.replace(parseTokenFile(`read ${fresh} new-reader`, 'test'));
    try {
      expect((await call('GET', '/v1/nodes', fresh)).status).toBe(200);
      expect((await call('GET', '/v1/nodes', READ)).error).toBe('bad-token');
    } finally {
      tokens.replace(parseTokenFile(FILE, 'test'));
    }
  });
});
