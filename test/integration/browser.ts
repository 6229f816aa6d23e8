/**
 * A real browser for the dashboard's tests: Debian's chromium (/usr/bin/chromium) driven headless
 * by playwright-core, which never downloads a browser of its own (.ci/run installs chromium when
 * it is missing). Without chromium the tests are skipped and say why — except under CI=true,
 * where a missing browser fails them. Each page records its console errors and uncaught
 * exceptions, so a test can assert there were none.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} is missing (apt-get install chromium; .ci/run does it)`;
  if (process.env['CI'] === 'true') throw new Error(`${why}: CI must run the browser tests`);
  return why;
}

/** Launches chromium headless; `extraArgs` add switches (`--host-resolver-rules=…`). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      ...extraArgs,
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
}

export async function openPage(
  browser: Browser,
  url: string,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<WatchedPage> {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
  await page.goto(url);
  return { page, errors };
}

/** The JS heap the page uses now, in bytes (Chromium's own figure, through the DevTools protocol). */
export async function heapUsedBytes(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
}
