/**
 * A real browser (chromium, through playwright-core) on a page of another origin — a second HTTP
 * server on another port, as an attacker's site would be — tries to register a node (a
 * `text/plain` fetch, a `text/plain` form, a JSON fetch), to fail and remove one (an image, a
 * GET, a `text/plain` POST, a beacon, a DELETE) and to read the nodes, against a monitor with no
 * tokens: the case where only the browser rules stand between the page and the monitor. Every
 * attempt is refused by the monitor (counted) or stopped by the browser for want of CORS, and the
 * monitor's table is as before. A page under the attacker's own name resolved to the monitor's
 * address (DNS rebinding) gets 403. The same requests from the monitor's own origin succeed, so
 * the refusals are the rules', not the harness's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { quietApiConfig, until } from '../monitor/helpers.js';
import { browserMissing, launchBrowser } from './browser.js';

const missing = browserMissing();
if (missing !== undefined) console.warn(`browser attack tests skipped: ${missing}`);

/** The attacker's page: runs every attempt against `?target=` and records what it saw. */
const ATTACK_PAGE = `<!doctype html><meta charset="utf-8"><title>totally harmless</title>
<iframe name="sink" style="display:none"></iframe>
<script>
const target = new URLSearchParams(location.search).get('target');
const seen = {};
async function attempt(name, run) {
  try { seen[name] = await run(); } catch (e) { seen[name] = 'blocked: ' + e.name; }
}
function image(path) {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve('loaded');
    img.onerror = () => resolve('error');
    img.src = target + path;
  });
}
function form(path, field, value) {
  return new Promise((resolve) => {
    const f = document.createElement('form');
    f.method = 'POST'; f.action = target + path; f.enctype = 'text/plain'; f.target = 'sink';
    const input = document.createElement('input');
    input.name = field; input.value = value; f.appendChild(input);
    document.body.appendChild(f);
    document.querySelector('iframe').addEventListener('load', () => resolve('submitted'), { once: true });
    f.submit();
  });
}
(async () => {
  const evil = JSON.stringify({ id: 'evil' });
  await attempt('register by text/plain fetch', async () => {
    await fetch(target + '/v1/nodes', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: evil });
    return 'sent';
  });
  await attempt('register by text/plain form', () => form('/v1/nodes', '{"id":"evil-form","x":"', '"}'));
  await attempt('register by JSON fetch', async () => {
    const res = await fetch(target + '/v1/nodes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: evil });
    return 'status ' + res.status;
  });
  await attempt('fail by image', () => image('/ping/victim/fail'));
  await attempt('leave by image', () => image('/ping/victim/leave'));
  await attempt('fail by GET fetch', async () => {
    await fetch(target + '/ping/victim/fail', { mode: 'no-cors' });
    return 'sent';
  });
  await attempt('fail by text/plain POST', async () => {
    await fetch(target + '/ping/victim/fail', { method: 'POST', mode: 'no-cors', body: '{}' });
    return 'sent';
  });
  await attempt('fail by beacon', async () => (navigator.sendBeacon(target + '/ping/victim/fail', '{}') ? 'queued' : 'refused'));
  await attempt('remove by DELETE', async () => {
    const res = await fetch(target + '/v1/nodes/victim', { method: 'DELETE' });
    return 'status ' + res.status;
  });
  await attempt('read the nodes', async () => {
    const res = await fetch(target + '/v1/nodes');
    return 'read ' + (await res.text()).length + ' bytes';
  });
  window.seen = seen;
})();
</script>`;

describe.skipIf(missing !== undefined)('a page of another origin in a real browser', () => {
  let browser: Browser;
  let monitor: Monitor;
  let attacker: http.Server;
  let target = '';
  let attackerOrigin = '';
  let monitorPort = 0;

  beforeAll(async () => {
    monitor = createMonitor({ clock: new SystemClock() }, quietApiConfig(), {
      api: { processMetrics: false, dashboardDir: null },
    });
    monitorPort = (await monitor.start()).httpPort as number;
    target = `http://127.0.0.1:${monitorPort}`;
    await monitor.register('victim', {});
    expect((await fetch(`${target}/ping/victim`)).status).toBe(200);
    attacker = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.url?.startsWith('/?') ? ATTACK_PAGE : '');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    // evil.example is the attacker's name; here it resolves to the monitor's address.
    browser = await launchBrowser(['--host-resolver-rules=MAP evil.example 127.0.0.1']);
  });
  afterAll(async () => {
    await browser?.close();
    attacker?.closeAllConnections();
    await new Promise((resolve) => attacker?.close(resolve));
    await monitor?.stop();
  });

  const refused = () => {
    const r = monitor.stats().ingest.rejected.http;
    return (
      (r['origin-not-allowed'] ?? 0) + (r['json-required'] ?? 0) + (r['state-change-by-get'] ?? 0)
    );
  };

  it('cannot register, fail, remove or read a node: the monitor refuses, the browser blocks', async () => {
    const before = refused();
    const page = await browser.newPage();
    await page.goto(`${attackerOrigin}/?target=${encodeURIComponent(target)}`);
    await page.waitForFunction(
      () => (globalThis as unknown as { seen?: object }).seen !== undefined,
    );
    const seen = await page.evaluate(
      () => (globalThis as unknown as { seen: Record<string, string> }).seen,
    );
    // What needs CORS never leaves the browser with a readable answer: its preflight is refused.
    expect(seen['register by JSON fetch']).toBe('blocked: TypeError');
    expect(seen['remove by DELETE']).toBe('blocked: TypeError');
    expect(seen['read the nodes']).toBe('blocked: TypeError');
    // Every attempt but the beacon was answered before the page went on: none changed anything.
    expect(monitor.table.get('evil')).toBeUndefined();
    expect(monitor.table.get('evil-form')).toBeUndefined();
    expect(monitor.table.get('victim')?.state).toBe('alive');
    expect(monitor.table.size).toBe(1);
    // What a page may send unasked reached the monitor and was refused there: two preflights,
    // three GETs that would change state, four POSTs (fetch, form, POST, beacon).
    await until(() => refused() - before >= 9);
    expect(refused() - before).toBe(9);
    expect(monitor.stats().ingest.rejected.http['state-change-by-get']).toBe(3);
    expect(monitor.table.get('victim')?.state).toBe('alive');
    await page.close();
  });

  it("a page under the attacker's name resolved to the monitor (DNS rebinding) reads nothing", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://evil.example:${monitorPort}/v1/nodes`);
    expect(res?.status()).toBe(403);
    expect(JSON.parse((await res?.text()) ?? '{}')).toMatchObject({ error: 'host-not-allowed' });
    await page.close();
  });

  it("the same requests from the monitor's own origin succeed", async () => {
    const page = await browser.newPage();
    await page.goto(`${target}/healthz`);
    const statuses = await page.evaluate(async () => {
      const json = { 'content-type': 'application/json' };
      const register = await fetch('/v1/nodes', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ id: 'control' }),
      });
      const fail = await fetch('/ping/control/fail', { method: 'POST', headers: json });
      return [register.status, fail.status];
    });
    expect(statuses).toEqual([201, 200]);
    expect(monitor.table.get('control')?.state).toBe('dead');
    await page.close();
  });
});
