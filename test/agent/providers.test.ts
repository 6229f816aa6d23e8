import { describe, expect, it } from 'vitest';
import { fitPayload } from '../../src/agent/payload-builder.js';
import {
  CustomMetricsProvider,
  DEFAULT_PROVIDERS,
  EventLoopDelayProvider,
  LoadAverageProvider,
  MemoryProvider,
  UptimeProvider,
  VersionProvider,
  createProvider,
} from '../../src/agent/providers/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { MAX_PAYLOAD_BYTES } from '../../src/core/limits.js';

describe('payload providers', () => {
  it('load: three load averages with two decimals and the CPU count', () => {
    const payload = new LoadAverageProvider().collect();
    expect(Object.keys(payload)).toEqual(['load1', 'load5', 'load15', 'cpuCount']);
    for (const key of ['load1', 'load5', 'load15']) {
      const value = payload[key] as number;
      expect(value).toBeGreaterThanOrEqual(0);
      expect(Math.round(value * 100) / 100).toBe(value);
    }
    expect(payload['cpuCount']).toBeGreaterThanOrEqual(1);
  });

  it('memory: rss and heap in bytes', () => {
    const payload = new MemoryProvider().collect();
    expect(Object.keys(payload)).toEqual(['rssBytes', 'heapUsedBytes', 'heapTotalBytes']);
    expect(payload['rssBytes']).toBeGreaterThan(1_000_000);
    expect(payload['heapUsedBytes']).toBeLessThanOrEqual(payload['heapTotalBytes'] as number);
  });

  it('uptime: ms since start by the injected clock', () => {
    const clock = new ManualClock({ startMs: 500 });
    const provider = new UptimeProvider({ clock });
    provider.start();
    clock.advance(1234.4);
    expect(provider.collect()).toEqual({ uptimeMs: 1234 });
  });

  it('version: the service version given, and the Node.js version', () => {
    expect(new VersionProvider({ version: '2.1.0' }).collect()).toEqual({
      version: '2.1.0',
      nodeVersion: process.version,
    });
  });

  it('custom metrics: fixed values or a function called per heartbeat', () => {
    expect(new CustomMetricsProvider({ region: 'eu' }).collect()).toEqual({ region: 'eu' });
    let n = 0;
    const live = new CustomMetricsProvider(() => ({ n: ++n }));
    expect(live.fixed).toBeUndefined();
    expect([live.collect(), live.collect()]).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('event loop delay: nothing before a sample, then p99 and max in ms per window', async () => {
    const provider = new EventLoopDelayProvider({ resolutionMs: 10 });
    expect(provider.collect()).toEqual({});
    provider.start();
    try {
      // Turns of the event loop until the histogram's timer has recorded a sample.
      const nextSample = async () => {
        let payload = provider.collect();
        while (Object.keys(payload).length === 0) {
          await new Promise((resolve) => setImmediate(resolve));
          payload = provider.collect();
        }
        return payload;
      };
      const windows = [await nextSample(), await nextSample(), await nextSample()];
      for (const w of windows) {
        expect(Object.keys(w)).toEqual(['eventLoopDelayP99Ms', 'eventLoopDelayMaxMs']);
        const p99 = w['eventLoopDelayP99Ms'] as number;
        const max = w['eventLoopDelayMaxMs'] as number;
        expect(p99).toBeGreaterThanOrEqual(0);
        expect(p99).toBeLessThanOrEqual(max);
        expect(Math.round(max * 10) / 10).toBe(max);
      }
      // collect() starts a new window: right after one, there is no sample yet.
      expect(provider.collect()).toEqual({});
    } finally {
      provider.stop();
    }
  });

  it('all built-ins together fit the payload limits with room for custom metrics', () => {
    const clock = new ManualClock();
    const entries: [string, number | string, string][] = [];
    for (const name of DEFAULT_PROVIDERS) {
      const provider = createProvider(name, { clock });
      provider.start?.();
      for (const [k, v] of Object.entries(provider.collect())) entries.push([k, v, name]);
      provider.stop?.();
    }
    const fitted = fitPayload(entries);
    expect(fitted.problems).toEqual([]);
    expect(Object.keys(fitted.payload ?? {}).length).toBeLessThanOrEqual(14);
    const bytes = Buffer.byteLength(JSON.stringify(fitted.payload));
    expect(bytes).toBeLessThan(MAX_PAYLOAD_BYTES / 2);
  });
});
