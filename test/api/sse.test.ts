import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { StallingClock, testConfig } from '../monitor/helpers.js';

/** The event stream on a manual clock: keep-alives and the subscriber limit, exactly. */
describe('SSE stream', () => {
  let monitor: Monitor | undefined;
  const aborts: AbortController[] = [];
  afterEach(async () => {
    for (const a of aborts.splice(0)) a.abort();
    await monitor?.stop();
  });

  async function setup(maxClients = 256, clock: ManualClock | StallingClock = new ManualClock()) {
    monitor = createMonitor({ clock }, testConfig({ udpPort: null, tcpPort: null }), {
      api: { processMetrics: false, sse: { keepaliveMs: 15_000, maxClients } },
    });
    const { httpPort } = await monitor.start();
    return { clock, base: `http://127.0.0.1:${httpPort}` };
  }

  async function open(url: string) {
    const abort = new AbortController();
    aborts.push(abort);
    const res = await fetch(url, { signal: abort.signal });
    return { res, reader: res.body?.getReader() };
  }

  async function readUntil(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    needle: string,
    after = '',
  ) {
    const decoder = new TextDecoder();
    let text = '';
    const found = () => {
      const at = text.indexOf(after);
      return at >= 0 && text.indexOf(needle, at + after.length) >= 0;
    };
    while (!found()) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${needle}: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    return text;
  }

  it('sends a keep-alive comment each period of the clock', async () => {
    const { clock, base } = await setup();
    const { res, reader } = await open(`${base}/v1/events/stream`);
    expect(res.status).toBe(200);
    const r = reader as ReadableStreamDefaultReader<Uint8Array>;
    await readUntil(r, 'retry: 2000');
    clock.advance(15_000);
    const text = await readUntil(r, ': keepalive');
    expect(text).toContain(`: keepalive ${clock.wallMs()}`);
  });

  it('refuses subscribers beyond the limit with 503', async () => {
    const { base } = await setup(1);
    const first = await open(`${base}/v1/events/stream`);
    expect(first.res.status).toBe(200);
    const second = await fetch(`${base}/v1/events/stream`);
    expect(second.status).toBe(503);
    expect(await second.json()).toMatchObject({ error: 'limit-MAX_SSE_CLIENTS' });
  });

  it('carries monitor:stall only to subscribers that ask for monitor events', async () => {
    const clock = new StallingClock();
    const { base } = await setup(256, clock);
    const withMonitor = (await open(`${base}/v1/events/stream?include=monitor`))
      .reader as ReadableStreamDefaultReader<Uint8Array>;
    const plain = (await open(`${base}/v1/events/stream`))
      .reader as ReadableStreamDefaultReader<Uint8Array>;
    await readUntil(withMonitor, 'retry: 2000');
    await readUntil(plain, 'retry: 2000');
    clock.stall(5000);
    clock.advance(100);
    const text = await readUntil(withMonitor, '\n\n', 'event: monitor:stall');
    const data = text.slice(text.indexOf('event: monitor:stall')).split('\n')[1] as string;
    expect(JSON.parse(data.slice('data: '.length))).toMatchObject({ stalledMs: 4900 });
    // The plain stream's next event is the transition that follows, not the stall.
    await fetch(`${base}/ping/after-stall`);
    clock.advance(0); // transitions are announced once stored, on the clock's next zero-delay timer
    const plainText = await readUntil(plain, 'event: node:joined');
    expect(plainText).not.toContain('monitor:stall');
    expect((await fetch(`${base}/v1/events/stream?include=all`)).status).toBe(400);
  });
});
