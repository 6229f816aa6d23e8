import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { quietApiConfig } from '../monitor/helpers.js';

/**
 * The dashboard's files from the API's port (src/api/routes/dashboard.ts), from a folder of the
 * test's own making: the page at / and /dashboard, its files by plain name, nothing else.
 */
describe('dashboard files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hb-dash-'));
  const monitors: Monitor[] = [];
  let base = '';

  const start = async (dashboardDir: string | null): Promise<string> => {
    const monitor = createMonitor({ clock: new SystemClock() }, quietApiConfig(), {
      api: { processMetrics: false, dashboardDir },
    });
    monitors.push(monitor);
    const ports = await monitor.start();
    return `http://127.0.0.1:${ports.httpPort}`;
  };

  beforeAll(async () => {
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>hb</title>');
    writeFileSync(path.join(dir, 'main.js'), 'console.log(1);');
    writeFileSync(path.join(dir, 'notes.txt'), 'not served');
    base = await start(dir);
  });
  afterAll(async () => {
    for (const m of monitors) await m.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page at / and /dashboard, with a policy that keeps everything local', async () => {
    for (const p of ['/', '/dashboard', '/dashboard/', '/dashboard/index.html']) {
      const res = await fetch(base + p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await res.text()).toContain('<title>hb</title>');
    }
  });

  it('serves a file with its type and answers 304 to its ETag', async () => {
    const first = await fetch(`${base}/dashboard/main.js`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await first.text()).toBe('console.log(1);');
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/);
    const again = await fetch(`${base}/dashboard/main.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const head = await fetch(`${base}/dashboard/main.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('15');
  });

  it('refuses other kinds, dot names, paths and missing files with a 404', async () => {
    for (const p of [
      '/dashboard/notes.txt',
      '/dashboard/.hidden.js',
      '/dashboard/..%2Fpackage.json',
      '/dashboard/a/b.js',
      '/dashboard/missing.js',
    ]) {
      const res = await fetch(base + p);
      expect(res.status, p).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe('not-found');
    }
  });

  it('says the dashboard is not built when its folder is empty', async () => {
    const other = await start(path.join(dir, 'nothing-here'));
    const res = await fetch(`${other}/`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('dashboard-not-built');
    expect(body.message).toContain('npm run build');
  });

  it('has no dashboard routes with dashboardDir null', async () => {
    const other = await start(null);
    const res = await fetch(`${other}/`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe('not-found');
  });
});
