/**
 * One client cannot take every slot: connections per source address are capped (TCP heartbeats
 * and HTTP alike), a TCP connection that delivers no message is closed after the idle timeout
 * whatever bytes it trickles, and an HTTP request whose headers never finish is timed out.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { TcpListener } from '../../src/transport/tcp-listener.js';
import type { ListenerSink, Peer } from '../../src/transport/listener.js';
import { testConfig } from '../monitor/helpers.js';

const sockets: net.Socket[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const close of closers.splice(0)) await close();
});

function connect(port: number, localAddress = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

const closed = (socket: net.Socket) =>
  new Promise<void>((resolve) =>
    socket.destroyed ? resolve() : socket.once('close', () => resolve()),
  );

function recordingSink() {
  const rejects: string[] = [];
  const messages: string[] = [];
  const sink: ListenerSink = {
    onMessage: (m, from: Peer) => messages.push(`${m.nodeId}@${from.address}`),
    onReject: (reason, from) => rejects.push(`${reason}@${from.address}`),
  };
  return { sink, rejects, messages };
}

describe('TCP heartbeat listener', () => {
  it('refuses a connection beyond the per-source cap and serves other sources', async () => {
    const { sink, rejects, messages } = recordingSink();
    const listener = new TcpListener(
      { clock: new SystemClock(), sink },
      { maxConnectionsPerSource: 3 },
    );
    const port = await listener.start();
    closers.push(() => listener.stop());
    const held = await Promise.all([connect(port), connect(port), connect(port)]);
    const fourth = await connect(port);
    await closed(fourth);
    expect(rejects).toEqual(['source-connection-limit@127.0.0.1']);
    const other = await connect(port, '127.0.0.2');
    other.write('agent-x\n');
    while (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(messages).toEqual(['agent-x@127.0.0.2']);
    // A slot given back can be taken again.
    held[0]?.destroy();
    while (listener.connectionCount > 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await connect(port);
    again.write('agent-y\n');
    while (messages.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(rejects).toHaveLength(1);
  });

  it('closes a connection that trickles bytes but delivers no message, after the idle timeout', async () => {
    const { sink } = recordingSink();
    const listener = new TcpListener({ clock: new SystemClock(), sink }, { idleTimeoutMs: 300 });
    const port = await listener.start();
    closers.push(() => listener.stop());
    const socket = await connect(port);
    const started = performance.now();
    const trickle = setInterval(() => socket.writable && socket.write('\n'), 50);
    await closed(socket);
    clearInterval(trickle);
    const lived = performance.now() - started;
    expect(lived).toBeGreaterThanOrEqual(250);
    expect(lived).toBeLessThan(5000);
  });
});

/**
 * GET /healthz as soon as the server has a slot for this source again: the server sees a close a
 * moment after the client does, so a refused attempt is tried again (at most a second).
 */
async function healthzOnceFree(port: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < 100 && status !== 200; i++) {
    status = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(1000),
    }).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return status;
}

describe('HTTP server', () => {
  let monitor: Monitor;
  async function start(api: ConstructorParameters<typeof ApiServer>[1]) {
    monitor = createMonitor(
      { clock: new SystemClock() },
      testConfig({ udpPort: null, tcpPort: null }),
      { api: { processMetrics: false, ...api } },
    );
    const { httpPort } = await monitor.start();
    closers.push(() => monitor.stop());
    return httpPort as number;
  }

  it('refuses connections beyond the per-source cap, and serves again once one closes', async () => {
    const port = await start({ maxConnectionsPerSource: 2 });
    const held = await Promise.all([connect(port), connect(port)]);
    const third = await connect(port);
    let answer = '';
    third.on('data', (d: Buffer) => (answer += d.toString()));
    await closed(third);
    expect(answer).toMatch(/^HTTP\/1\.1 503 [\s\S]*"error":"source-connection-limit"/);
    expect(monitor.stats().ingest.rejected.http['source-connection-limit']).toBe(1);
    held[0]?.destroy();
    expect(await healthzOnceFree(port)).toBe(200);
  });

  it('times out a request whose headers never finish, and frees its slot', async () => {
    const port = await start({ headersTimeoutMs: 300, maxConnectionsPerSource: 1 });
    const slow = await connect(port);
    slow.write('GET /healthz HTTP/1.1\r\nhost: local'); // and nothing more
    let answer = '';
    slow.on('data', (d: Buffer) => (answer += d.toString()));
    await closed(slow);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(monitor.stats().ingest.rejected.http['request-timeout']).toBe(1);
    expect(await healthzOnceFree(port)).toBe(200);
  });
});
