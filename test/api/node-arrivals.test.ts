import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { quietApiConfig } from '../monitor/helpers.js';

/** GET /v1/nodes/:id/arrivals against a real monitor: kept from the first time it is asked. */
describe('GET /v1/nodes/:id/arrivals', () => {
  let monitor: Monitor;
  let base = '';
  beforeAll(async () => {
    monitor = createMonitor({ clock: new SystemClock() }, quietApiConfig(), {
      api: { processMetrics: false, dashboardDir: null },
    });
    base = `http://127.0.0.1:${(await monitor.start()).httpPort}`;
  });
  afterAll(async () => {
    await monitor.stop();
  });

  const beat = (seq: number) =>
    fetch(`${base}/v1/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodeId: 'n1', incarnation: 1, seq, intervalMs: 1000 }),
    });

  it('is empty at first, then holds each accepted heartbeat after it, in order', async () => {
    await beat(1);
    const first = await fetch(`${base}/v1/nodes/n1/arrivals`);
    expect(first.status).toBe(200);
    const empty = (await first.json()) as { arrivalsWallMs: number[]; capacity: number };
    expect(empty.arrivalsWallMs).toEqual([]);
    expect(empty.capacity).toBe(300);
    await beat(2);
    await beat(3);
    await beat(3); // a duplicate is not an arrival
    const kept = (await (await fetch(`${base}/v1/nodes/n1/arrivals`)).json()) as {
      arrivalsWallMs: number[];
    };
    expect(kept.arrivalsWallMs).toHaveLength(2);
    expect(kept.arrivalsWallMs[1]).toBeGreaterThanOrEqual(kept.arrivalsWallMs[0] as number);
  });

  it('answers 404 unknown-node for a node the monitor does not track', async () => {
    const res = await fetch(`${base}/v1/nodes/nobody/arrivals`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe('unknown-node');
  });
});
