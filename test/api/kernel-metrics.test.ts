/**
 * The UDP socket's kernel figures on /metrics and in GET /v1/stats, from a real monitor on
 * loopback: the series are there with the listener's port, and datagrams the kernel drops while
 * the monitor is blocked show up in heartbeat_udp_kernel_drops_total.
 */
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import { Monitor } from '../../src/monitor/monitor.js';
import { udpListener } from '../../src/transport/udp-listener.js';
import { testConfig } from '../monitor/helpers.js';
import { flooder } from '../transport/flooder.js';

const linux = existsSync('/proc/net/udp');

/** The value of the sample `series` (name and labels, as printed) in a metrics text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

let monitor: Monitor | undefined;
afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
});

async function get(port: number | null, path: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('kernel figures of the UDP listener', () => {
  it('are on /metrics by port and in /v1/stats as `kernel`', async () => {
    monitor = createMonitor({ clock: new SystemClock() }, testConfig({ tcpPort: null }), {
      api: { processMetrics: false },
    });
    const { udpPort, httpPort } = await monitor.start();
    const text = await get(httpPort, '/metrics');
    const port = `port="${udpPort}"`;
    expect(text).toContain('# TYPE heartbeat_udp_kernel_drops_total counter');
    expect(sample(text, `heartbeat_udp_receive_buffer_bytes{${port},kind="requested"}`)).toBe(
      4 * 1024 * 1024,
    );
    expect(
      sample(text, `heartbeat_udp_receive_buffer_bytes{${port},kind="granted"}`),
    ).toBeGreaterThan(0);
    expect([0, 1]).toContain(sample(text, `heartbeat_udp_receive_buffer_capped{${port}}`));
    const stats = JSON.parse(await get(httpPort, '/v1/stats')) as {
      kernel: { port: number; receiveBuffer: { requestedBytes: number; capped: boolean } };
    };
    expect(stats.kernel.port).toBe(udpPort);
    expect(stats.kernel.receiveBuffer.requestedBytes).toBe(4 * 1024 * 1024);
    if (linux) {
      expect(sample(text, `heartbeat_udp_kernel_drops_total{${port}}`)).toBe(0);
      expect(sample(text, `heartbeat_udp_receive_queue_bytes{${port}}`)).toBe(0);
      const rmemMax = sample(text, `heartbeat_udp_receive_buffer_bytes{${port},kind="rmem_max"}`);
      expect(rmemMax).toBeGreaterThan(0);
      expect(sample(text, `heartbeat_udp_receive_buffer_capped{${port}}`)).toBe(
        (rmemMax as number) < 4 * 1024 * 1024 ? 1 : 0,
      );
      expect(
        sample(text, 'heartbeat_udp_system_rcvbuf_errors_total{family="udp"}'),
      ).toBeGreaterThanOrEqual(0);
    }
  });

  it('are absent (null, no sample) without a UDP listener', async () => {
    monitor = createMonitor(
      { clock: new SystemClock() },
      testConfig({ udpPort: null, tcpPort: null }),
      { api: { processMetrics: false } },
    );
    const { httpPort } = await monitor.start();
    expect(await monitor.kernelStats()).toBeNull();
    const text = await get(httpPort, '/metrics');
    expect(text).not.toMatch(/^heartbeat_udp_kernel_drops_total\{/m);
    expect(text).not.toMatch(/^heartbeat_udp_receive_buffer_capped\{/m);
    const stats = JSON.parse(await get(httpPort, '/v1/stats')) as { kernel: unknown };
    expect(stats.kernel).toBeNull();
  });

  it.runIf(linux)(
    'count in /metrics the datagrams the kernel dropped while the monitor was blocked',
    async () => {
      const config = testConfig({ tcpPort: null });
      monitor = new Monitor(
        {
          clock: new SystemClock(),
          // A small buffer, so that a flood overflows it while nothing reads the socket.
          listeners: [udpListener({ host: '127.0.0.1', port: 0, recvBufferBytes: 4096 })],
          http: ({ monitor: m }) => {
            const api = new ApiServer({ monitor: m }, { processMetrics: false });
            return { start: () => api.start('127.0.0.1', 0), stop: () => api.stop() };
          },
        },
        config,
      );
      const { udpPort, httpPort } = await monitor.start();
      const port = udpPort as number;
      const series = `heartbeat_udp_kernel_drops_total{port="${port}"}`;
      expect(sample(await get(httpPort, '/metrics'), series)).toBe(0);

      const flood = flooder(port, 1000);
      // The first node's join, synchronous in the UDP listener's handler: let the flood go, then
      // hold the event loop for 200 ms, as a monitor in a long GC pause would.
      const off = monitor.table.on('node:joined', () => {
        off();
        flood.go();
        const until = performance.now() + 200;
        while (performance.now() < until);
      });
      const trigger = dgram.createSocket('udp4');
      await new Promise<void>((resolve) =>
        trigger.send('first\n', port, '127.0.0.1', () => resolve()),
      );
      trigger.close();
      const sent = await flood.done;

      const drops = sample(await get(httpPort, '/metrics'), series) as number;
      expect(drops).toBeGreaterThan(0);
      expect(drops).toBeLessThanOrEqual(sent);
      const stats = JSON.parse(await get(httpPort, '/v1/stats')) as { kernel: { drops: number } };
      expect(stats.kernel.drops).toBeGreaterThanOrEqual(drops);
    },
  );
});
