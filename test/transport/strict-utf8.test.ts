/**
 * JSON that is not valid UTF-8, over UDP and HTTP into a real monitor: `web\xff` and `web\xfe`
 * would both read as `web\ufffd` if repaired, and become one node. Both are refused as `bad-json`,
 * counted like any other refusal, and no node is made of either; valid UTF-8 still gets through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { sendUdp, testConfig, until } from '../monitor/helpers.js';

const xff = Buffer.from('{"nodeId":"web\xff"}', 'latin1');
const xfe = Buffer.from('{"nodeId":"web\xfe"}', 'latin1');

describe('JSON with invalid UTF-8 into a monitor', () => {
  let monitor: Monitor;
  let udpPort = 0;
  let httpBase = '';

  beforeAll(async () => {
    monitor = createMonitor(
      { clock: new SystemClock() },
      testConfig({
        tcpPort: null,
        detector: { kind: 'timeout', timeoutMs: 600_000 },
        startupGraceMs: 600_000,
        deadAfterMs: 600_000,
      }),
      { api: { processMetrics: false } },
    );
    const ports = await monitor.start();
    udpPort = ports.udpPort as number;
    httpBase = `http://127.0.0.1:${ports.httpPort}`;
  });
  afterAll(async () => {
    await monitor.stop();
  });

  const rejected = (transport: 'udp' | 'http') =>
    monitor.stats().ingest.rejected[transport]['bad-json'] ?? 0;

  it('over UDP: both datagrams are refused as bad-json and counted', async () => {
    await sendUdp(udpPort, xff);
    await sendUdp(udpPort, xfe);
    await sendUdp(udpPort, Buffer.from('{"nodeId":"wëb-udp"}'));
    await until(() => monitor.table.get('wëb-udp') !== undefined);
    await until(() => rejected('udp') === 2);
    expect(monitor.table.list().map((n) => n.id)).toEqual(['wëb-udp']);
  });

  it('over HTTP: both bodies get a 400 with the JSON reason bad-json, counted', async () => {
    for (const body of [xff, xfe]) {
      const res = await fetch(`${httpBase}/v1/heartbeat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'bad-json',
        message: 'JSON text is not valid UTF-8',
      });
    }
    expect(rejected('http')).toBe(2);
    const ok = await fetch(`${httpBase}/v1/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"nodeId":"wëb-http"}'),
    });
    expect(ok.status).toBe(200);
    expect(monitor.table.get('wëb-http')?.state).toBe('alive');
    expect(monitor.table.list().some((n) => n.id.startsWith('web'))).toBe(false);
  });
});
