/**
 * The dashboard in a real browser (Debian's chromium through playwright-core, browser.ts) against
 * a real `heartbeat monitor` process with real agents: a fleet of agents in one process
 * (test/faults/fixtures/fleet.ts) and one `heartbeat agent` process that is SIGKILLed; its row
 * turns suspect, then dead, without a reload. Keyboard navigation reaches the filter and the
 * table and opens a node; the node page draws its charts; the events page lists the death; no
 * console error anywhere. A second monitor holds 10 000 nodes (text-line heartbeats over TCP)
 * to time the first render of the fleet and state map and one update from the event stream
 * (performance marks of the page, fleet-view.ts), and the page's memory.
 * HEARTBEAT_DASHBOARD_NODES=10000,100000 times other sizes; HEARTBEAT_SCREENSHOTS=DIR saves a
 * screenshot of each view there (how docs/dashboard/*.png are made).
 */
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet } from '../faults/harness.js';
import { browserMissing, heapUsedBytes, launchBrowser, openPage } from './browser.js';
import { killedAfterEach, startCli, startMonitor } from './cli-process.js';

/**
 * The page's globals, as far as the functions handed to page.evaluate use them: those run in the
 * browser, and this file is type-checked without the DOM library.
 */
interface PageElement {
  id: string;
  tagName: string;
  textContent: string | null;
  width: number;
  height: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
}
interface PageEntry {
  startTime: number;
  duration: number;
  detail: unknown;
}
declare const document: {
  activeElement: PageElement | null;
  body: PageElement;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): PageElement[];
};
declare const window: Record<string, unknown>;
declare const location: { hash: string };
declare function getComputedStyle(element: PageElement): { backgroundColor: string };
declare const performance: { getEntriesByName(name: string): PageEntry[] };

const missing = browserMissing();
if (missing !== undefined) console.warn(`dashboard browser tests skipped: ${missing}`);

// A fixed timeout makes the bound exact: suspect 500 ms after the last heartbeat, dead 500 ms later.
const TIMING = ['--detector', '{"kind":"timeout","timeoutMs":500}', '--dead-after', '500ms'];
const SIZES = (process.env['HEARTBEAT_DASHBOARD_NODES'] ?? '10000').split(',').map(Number);
const SHOTS = process.env['HEARTBEAT_SCREENSHOTS'];

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** The state word in the table row of node `id`, or null while it has no visible row. */
function rowState(page: Page, id: string): Promise<string | null> {
  return page.evaluate((id) => {
    for (const row of document.querySelectorAll('.vt-body .vt-row:not([hidden])')) {
      if (row.querySelector('.col-id')?.textContent === id) {
        return row.querySelector('.col-state')?.textContent?.replace(/^\W+/, '').trim() ?? null;
      }
    }
    return null;
  }, id);
}

/** Waits (on animation frames) until node `id`'s row shows `state`. */
function rowTurns(page: Page, id: string, state: string, timeout = 15_000) {
  return page.waitForFunction(
    ([id, state]: [string, string]) => {
      for (const row of document.querySelectorAll('.vt-body .vt-row:not([hidden])')) {
        if (row.querySelector('.col-id')?.textContent !== id) continue;
        return row.querySelector('.col-state')?.textContent?.trim().endsWith(state) ?? false;
      }
      return false;
    },
    [id, state] as [string, string],
    { polling: 'raf', timeout },
  );
}

/** Text-line heartbeats (`id\n`) for `ids` over one TCP connection. */
function sendLines(port: number, ids: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end(ids.map((id) => `${id}\n`).join(''), () => resolve());
    });
    socket.on('error', reject);
  });
}

async function nodesTracked(http: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${http}/healthz`);
  return ((await res.json()) as { nodes: number }).nodes;
}

describe.skipIf(missing !== undefined)('dashboard in a real browser', () => {
  let browser: Browser;
  const track = killedAfterEach();
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('follows a real fleet: a killed agent turns suspect then dead without a reload', async () => {
    const monitor = track(
      await startMonitor([...TIMING, '--interval', '100ms', '--data', ':memory:']),
    );
    track(await startFleet(monitor.udp, 'web-', 20, 100));
    const victim = track(
      startCli(
        ['agent', '--id', 'victim-1', '--monitor', `udp://127.0.0.1:${monitor.udp}`].concat([
          '--interval',
          '100ms',
          '--jitter',
          '0',
        ]),
      ),
    );
    await monitor.waitFor(/victim-1: unknown → alive/);
    const base = `http://127.0.0.1:${monitor.http}`;
    const { page, errors } = await openPage(browser, `${base}/`);
    await rowTurns(page, 'victim-1', 'alive');
    await page.evaluate(() => (window['kept'] = true));

    // The filters narrow the table: by a part of the id, and by tag (a node registered with
    // tags, never heard from, joins the page from the stream).
    const rowCount = (n: number) =>
      page.waitForFunction(
        (n) => document.querySelector('.vt-viewport')?.getAttribute('aria-rowcount') === String(n),
        n + 1,
      );
    await page.fill('#filter-id', 'victim');
    await rowCount(1);
    await page.fill('#filter-id', '');
    await fetch(`${base}/v1/nodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'db-1', tags: ['db', 'eu'] }),
    });
    await rowTurns(page, 'db-1', 'unknown');
    await page.fill('#filter-tag', 'db');
    await rowCount(1);
    await page.fill('#filter-tag', '');
    await fetch(`${base}/v1/nodes/db-1`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });
    await rowCount(21);

    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    const announced = monitor.waitFor(/victim-1: suspect → dead/).then(() => Date.now());
    await rowTurns(page, 'victim-1', 'suspect');
    await rowTurns(page, 'victim-1', 'dead');
    const shownAt = Date.now();
    const announcedAt = await announced;
    console.log(
      `dashboard: victim-1 dead on the page ${shownAt - killedAt} ms after the kill, ` +
        `${Math.max(0, shownAt - announcedAt)} ms after the monitor announced it`,
    );
    expect(shownAt - announcedAt).toBeLessThan(1000);
    expect(await page.evaluate(() => window['kept'])).toBe(true);
    expect(await rowState(page, 'web-3')).toBe('alive');
    // Sorted by state, the dead node moves to the top once the order is worked out again.
    await page.waitForFunction(
      () =>
        document.querySelector('.vt-body .vt-row[aria-rowindex="2"] .col-id')?.textContent ===
        'victim-1',
    );
    await shot(page, 'fleet');
    await page.waitForFunction(() =>
      /1\s*dead/.test(document.querySelector('.counts .st-dead')?.textContent ?? ''),
    );

    // Keyboard: Tab from the top reaches the id filter and then the table; Enter opens a node.
    await page.focus('a.skip');
    const reached: string[] = [];
    for (let i = 0; i < 40 && !reached.includes('grid'); i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const a = document.activeElement;
          return a?.id || a?.getAttribute('role') || a?.tagName.toLowerCase() || '';
        }),
      );
    }
    expect(reached).toContain('filter-id');
    expect(reached).toContain('grid');
    expect(reached.indexOf('filter-id')).toBeLessThan(reached.indexOf('grid'));
    // The state map takes focus too: an arrow key names the node under its cursor.
    await page.focus('.map-canvas');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() =>
      /victim-1: dead/.test(document.querySelector('.pointed')?.textContent ?? ''),
    );
    await page.focus('.vt-viewport');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/node/victim-1');

    // The node page: its verdict in words, its charts, its transitions.
    await page.waitForFunction(() =>
      /dead/.test(document.querySelector('.node-status')?.textContent ?? ''),
    );
    await page.waitForSelector('.chart canvas');
    expect(await page.textContent('.evidence')).toMatch(/No heartbeat for [\d.]+ (ms|s)/);
    await page.waitForFunction(
      () => document.querySelectorAll('table.transitions tbody tr').length >= 3,
    );

    // Another node's page fills its gap chart from the monitor's ring of recent arrivals.
    await page.evaluate(() => (location.hash = '#/node/web-3'));
    await page.waitForFunction(
      () =>
        /\d+ gaps since/.test(document.querySelectorAll('.chart-summary')[1]?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    if (SHOTS !== undefined) {
      await page.waitForFunction(
        () =>
          /\((\d\d+|[5-9]) samples\)/.test(
            document.querySelector('.chart-summary')?.textContent ?? '',
          ),
        undefined,
        { timeout: 15_000 },
      );
      await shot(page, 'node');
    }

    await page.evaluate(() => (location.hash = '#/events'));
    await page.waitForSelector('table.events tbody tr.tr-dead');
    expect(await page.textContent('table.events tbody tr.tr-dead')).toContain('victim-1');
    await shot(page, 'events');
    // Filtered by the state entered: only the death.
    await page.selectOption('#events-state', 'dead');
    await page.click('form.filters button[type=submit]');
    await page.waitForFunction(
      () => document.querySelectorAll('table.events tbody tr').length === 1,
    );
    await page.selectOption('#events-state', '');
    await page.evaluate(() => (location.hash = '#/quality'));
    await page.waitForFunction(() =>
      /recording arrivals/.test(document.querySelector('main')?.textContent ?? ''),
    );
    await shot(page, 'quality');

    // Dark mode follows the system's preference.
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
    await page.evaluate(() => (location.hash = '#/fleet'));
    await rowTurns(page, 'victim-1', 'dead');
    await shot(page, 'fleet-dark');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it.each(SIZES)(
    'draws %i nodes and applies an update from the stream, timed',
    async (n) => {
      const monitor = track(
        await startMonitor(['--interval', '10m', '--data', ':memory:', '--quiet']),
      );
      const ids = Array.from({ length: n }, (_, i) => `map-${i}`);
      for (let i = 0; i < n; i += 20_000) await sendLines(monitor.tcp, ids.slice(i, i + 20_000));
      await expect
        .poll(() => nodesTracked(monitor.http), { timeout: 30_000, interval: 100 })
        .toBe(n);

      const { page, errors } = await openPage(browser, `http://127.0.0.1:${monitor.http}/`);
      const first = await page.waitForFunction(
        () => {
          const mark = performance.getEntriesByName('fleet:first-render')[0];
          if (mark === undefined) return null;
          const loaded = performance.getEntriesByName('fleet:loaded')[0] as PageEntry;
          const render = performance.getEntriesByName('fleet:render').at(-1) as PageEntry;
          const canvas = document.querySelector('.map-canvas') as PageElement;
          return {
            atMs: mark.startTime,
            walkMs: (loaded.detail as { ms: number }).ms,
            renderMs: render.duration,
            nodes: (mark.detail as { nodes: number }).nodes,
            cellPx: (mark.detail as { cellPx: number }).cellPx,
            canvas: [canvas.width, canvas.height],
          };
        },
        undefined,
        { timeout: 45_000, polling: 100 },
      );
      const figures = (await first.jsonValue()) as {
        atMs: number;
        walkMs: number;
        renderMs: number;
        nodes: number;
        cellPx: number;
        canvas: [number, number];
      };
      expect(figures.nodes).toBe(n);
      const [w, h] = figures.canvas;
      expect(
        Math.floor(w / figures.cellPx) * Math.floor(h / figures.cellPx),
      ).toBeGreaterThanOrEqual(n);

      // One transition: a node reported failed turns dead on the page.
      const before = await page.evaluate(() => performance.getEntriesByName('sse:apply').length);
      await fetch(`http://127.0.0.1:${monitor.http}/ping/map-7/fail`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      const applied = await page.waitForFunction(
        (before) => {
          const all = performance.getEntriesByName('sse:apply');
          const dead = /1\s*dead/.test(
            document.querySelector('.counts .st-dead')?.textContent ?? '',
          );
          const work = performance.getEntriesByName('sse:work').at(-1);
          return all.length > before && dead
            ? [(all.at(-1) as PageEntry).duration, (work as PageEntry).duration]
            : null;
        },
        before,
        { timeout: 15_000 },
      );
      const [applyMs, workMs] = (await applied.jsonValue()) as [number, number];
      const heap = await heapUsedBytes(page);
      console.log(
        `dashboard at ${n} nodes: first render ${Math.round(figures.atMs)} ms after navigation ` +
          `(walk of GET /v1/nodes ${Math.round(figures.walkMs)} ms, table and map ${Math.round(figures.renderMs)} ms), ` +
          `state map ${w}×${h} px of ${figures.cellPx} px cells, one stream update on the page ${applyMs.toFixed(1)} ms after it came ` +
          `(${workMs.toFixed(1)} ms of work in the frame), ` +
          `JS heap ${(heap / 1048576).toFixed(1)} MiB`,
      );
      if (n === SIZES[0]) await shot(page, `fleet-${n}`);
      expect(errors).toEqual([]);
      await page.close();
    },
    60_000,
  );
});
