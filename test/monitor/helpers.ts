/**
 * Shared pieces of the monitor and API tests: a complete configuration on loopback with free
 * ports and an in-memory history, a clock that can stall, and waiting for events.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { MonitorConfig } from '../../src/config/types.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import type { MonitorEvents } from '../../src/monitor/events.js';

export function testConfig(overrides: Partial<MonitorConfig> = {}): MonitorConfig {
  return {
    host: '127.0.0.1',
    udpPort: 0,
    tcpPort: 0,
    httpPort: 0,
    dataPath: ':memory:',
    preset: 'local',
    defaultIntervalMs: 100,
    detector: { kind: 'timeout', timeoutMs: 300 },
    groups: [],
    deadAfterMs: 500,
    startupGraceMs: 2000,
    pauseGuard: { toleranceMs: 500, graceMs: 200 },
    actions: { on: [], webhooks: [] },
    recordPath: null,
    retention: { forgetAfterMs: null, historyMaxAgeMs: null, historyMaxRows: null },
    keyFile: null,
    maxClockSkewMs: 60_000,
    tokenFile: null,
    requireAuth: false,
    allowedHosts: [],
    corsOrigins: [],
    ...overrides,
  };
}

/**
 * A configuration for API tests: HTTP only, and timing so long that nodes stay as the requests
 * leave them.
 */
export function quietApiConfig(): MonitorConfig {
  return testConfig({
    udpPort: null,
    tcpPort: null,
    defaultIntervalMs: 1000,
    detector: { kind: 'timeout', timeoutMs: 600_000 },
    startupGraceMs: 600_000,
    deadAfterMs: 600_000,
  });
}

/** Resolves with the first event `name` for which `accept` holds. */
export function nextEvent<K extends keyof MonitorEvents>(
  monitor: Monitor,
  name: K,
  accept: (e: MonitorEvents[K]) => boolean = () => true,
): Promise<MonitorEvents[K]> {
  return new Promise((resolve) => {
    const off = monitor.on(name, (e) => {
      if (!accept(e)) return;
      off();
      resolve(e);
    });
  });
}

/** Polls `check` on each turn of the event loop (I/O in between) until it returns true. */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The clock that can stall (`stall(ms)`), shared with the simulator and the node table tests. */
export { StallingClock } from '../../src/sim/stalling-clock.js';

/** Sends one UDP datagram to the monitor. */
export async function sendUdp(port: number, data: Buffer | string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) =>
    socket.send(data, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
  socket.close();
}

/** Opens a TCP connection to the monitor. */
export function connectTcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}
