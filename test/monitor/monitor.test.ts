import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../src/core/clock.js';
import { AddressInUseError, FileOpenError } from '../../src/core/errors.js';
import type { NodeTransition } from '../../src/membership/types.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { encodeBinary } from '../../src/protocol/index.js';
import type { Peer } from '../../src/transport/listener.js';
import { connectTcp, nextEvent, sendUdp, testConfig, until } from './helpers.js';

const udpPeer: Peer = { transport: 'udp', address: '10.0.0.9', port: 5000 };

describe('Monitor over real sockets', () => {
  const monitors: Monitor[] = [];
  afterEach(async () => {
    for (const m of monitors.splice(0)) await m.stop();
  });

  async function started(overrides = {}) {
    const monitor = createMonitor({ clock: new SystemClock() }, testConfig(overrides));
    monitors.push(monitor);
    const ports = await monitor.start();
    return { monitor, ports };
  }

  it('heartbeats over UDP, TCP (binary and text) and HTTP bring nodes alive; silence kills them', async () => {
    const { monitor, ports } = await started();
    const alive = (id: string) =>
      nextEvent(monitor, 'transition', (t) => t.nodeId === id && t.to === 'alive');

    const udpAlive = alive('udp-node');
    await sendUdp(
      ports.udpPort as number,
      encodeBinary({
        type: 'heartbeat',
        nodeId: 'udp-node',
        incarnation: 1,
        seq: 1,
        sentAtMs: 1,
        intervalMs: 100,
      }),
    );
    expect((await udpAlive).reason).toBe('first-heartbeat');

    const tcp = await connectTcp(ports.tcpPort as number);
    const tcpAlive = Promise.all([alive('tcp-bin'), alive('tcp-text')]);
    tcp.write(
      encodeBinary({
        type: 'heartbeat',
        nodeId: 'tcp-bin',
        incarnation: 1,
        seq: 1,
        sentAtMs: 1,
        intervalMs: 100,
      }),
    );
    tcp.write('tcp-text\n');
    await tcpAlive;

    const httpAlive = alive('http-node');
    const res = await fetch(`http://127.0.0.1:${ports.httpPort}/v1/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodeId: 'http-node', seq: 1, incarnation: 1, intervalMs: 100 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'accepted', state: 'alive' });
    await httpAlive;

    expect(monitor.stats().ingest.received).toEqual({ udp: 1, tcp: 2, http: 1 });
    expect(monitor.table.get('udp-node')?.address).toBe('127.0.0.1');

    // No more heartbeats from udp-node: suspect, then dead, through the real clock.
    const dead = await nextEvent(
      monitor,
      'transition',
      (t) => t.nodeId === 'udp-node' && t.to === 'dead',
    );
    expect(dead.reason).toBe('dead-grace-expired');
    const metrics = await (await fetch(`http://127.0.0.1:${ports.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/heartbeat_detection_latency_seconds_count\{state="suspect"\} [1-9]/);
    expect(metrics).toMatch(/heartbeat_detection_latency_seconds_count\{state="dead"\} [1-9]/);
    tcp.destroy();
  });

  it('counts malformed input by transport and reason and keeps serving', async () => {
    const { monitor, ports } = await started();
    const udpPort = ports.udpPort as number;
    await sendUdp(udpPort, Buffer.from([0xfe, 0x00, 1, 2, 3, 4, 5, 6, 7, 8]));
    await sendUdp(udpPort, Buffer.alloc(2000, 0x41));
    await sendUdp(udpPort, '{"nodeId": 5}');
    const tcp = await connectTcp(ports.tcpPort as number);
    tcp.write('has space\n');
    const bad = await fetch(`http://127.0.0.1:${ports.httpPort}/v1/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    await until(() => monitor.stats().ingest.rejected.tcp['bad-node-id'] === 1);
    await until(() => Object.keys(monitor.stats().ingest.rejected.udp).length === 3);
    const { rejected } = monitor.stats().ingest;
    expect(rejected.udp).toEqual({ 'bad-magic': 1, 'too-long': 1, 'bad-node-id': 1 });
    expect(rejected.http).toEqual({ 'bad-json': 1 });
    expect(monitor.table.size).toBe(0);

    const ok = nextEvent(monitor, 'node:joined');
    tcp.write('fine\n');
    expect((await ok).nodeId).toBe('fine');
    tcp.destroy();
  });

  it('a port in use is a clear error, and the listeners that did start are closed again', async () => {
    const { ports } = await started();
    // A UDP port that is free now, for the second monitor's UDP listener.
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
    const freeUdp = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const second = createMonitor(
      { clock: new SystemClock() },
      testConfig({ udpPort: freeUdp, tcpPort: ports.tcpPort }),
    );
    const failure = second.start();
    await expect(failure).rejects.toThrow(`port ${ports.tcpPort}/tcp is in use`);
    await expect(failure).rejects.toBeInstanceOf(AddressInUseError);
    // Its UDP listener bound before the TCP one failed; it must be free again.
    const again = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(freeUdp, '127.0.0.1', () => resolve());
    });
    again.close();
  });
});

describe('Monitor restart on the same SQLite file', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the registry and the history, and convicts nobody at start', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hb-monitor-'));
    const dataPath = path.join(dir, 'history.db');
    const config = testConfig({
      udpPort: null,
      tcpPort: null,
      httpPort: null,
      dataPath,
      startupGraceMs: 5000,
    });

    const clock1 = new ManualClock();
    const first = createMonitor({ clock: clock1 }, config);
    await first.start();
    await first.register('registered-1', { address: '10.0.0.1:80', tags: ['db'], intervalMs: 100 });
    for (let seq = 1; seq <= 5; seq++) {
      first.ingest({ type: 'heartbeat', nodeId: 'joined-1', incarnation: 3, seq }, udpPeer);
      clock1.advance(100);
    }
    clock1.advance(2000); // joined-1 falls silent: suspect, then dead
    expect(first.table.get('joined-1')?.state).toBe('dead');
    const before = (await first.history?.transitions({ limit: 100 }))?.rows.length ?? 0;
    expect(before).toBeGreaterThanOrEqual(4);
    await first.stop();

    const clock2 = new ManualClock({ startMs: 50_000 });
    const second = createMonitor({ clock: clock2 }, config);
    const transitions: NodeTransition[] = [];
    second.on('transition', (t) => transitions.push(t));
    await second.start();
    // Each node comes back as it was stored: the dead one stays dead (no second alert).
    expect(second.table.list().map((n) => [n.id, n.state])).toEqual([
      ['joined-1', 'dead'],
      ['registered-1', 'unknown'],
    ]);
    expect(second.table.get('registered-1')).toMatchObject({
      address: '10.0.0.1:80',
      tags: ['db'],
      intervalMs: 100,
    });
    expect(second.table.get('joined-1')).toMatchObject({ heartbeats: 5, lost: 0, lastSeq: 5 });
    expect((await second.history?.transitions({ limit: 100 }))?.rows).toHaveLength(before);
    // Incarnation and seq as of its last transition survive: that packet is recognised.
    expect(
      second.ingest({ type: 'heartbeat', nodeId: 'joined-1', incarnation: 3, seq: 5 }, udpPeer),
    ).toBe('duplicate');
    clock2.advance(4000);
    expect(transitions).toEqual([]);
    // A dead node heard again recovers: a genuine transition, announced once.
    second.ingest({ type: 'heartbeat', nodeId: 'joined-1', incarnation: 3, seq: 6 }, udpPeer);
    expect(second.table.get('joined-1')?.state).toBe('alive');
    clock2.advance(0);
    expect(transitions.map((t) => `${t.nodeId} ${t.from}→${t.to}`)).toEqual([
      'joined-1 dead→alive',
    ]);
    await second.stop();
  });
});

describe('arrival recording', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the directory of the recording, as of the database', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hb-record-'));
    const recordPath = path.join(dir, 'not', 'yet', 'arrivals.tsv');
    const config = testConfig({ udpPort: null, tcpPort: null, httpPort: null, recordPath });
    const monitor = createMonitor({ clock: new ManualClock({ startMs: 0 }) }, config);
    await monitor.start();
    await monitor.stop();
    expect(readFileSync(recordPath, 'utf8')).toMatch(/^#heartbeat-recording v1 /);
  });

  it('refuses to start, in one line, when the recording cannot be opened', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hb-record-'));
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    const recordPath = path.join(file, 'arrivals.tsv');
    const config = testConfig({ udpPort: null, tcpPort: null, httpPort: null, recordPath });
    const monitor = createMonitor({ clock: new ManualClock({ startMs: 0 }) }, config);
    const failure = monitor.start();
    await expect(failure).rejects.toBeInstanceOf(FileOpenError);
    await expect(failure).rejects.toThrow(
      `cannot open recording ${recordPath}: a parent is not a directory`,
    );
  });

  it('appends one TSV line per accepted arrival after a header per start', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hb-record-'));
    const recordPath = path.join(dir, 'arrivals.tsv');
    const config = testConfig({ udpPort: null, tcpPort: null, httpPort: null, recordPath });
    for (const startMs of [1000, 7000]) {
      const clock = new ManualClock({ startMs, wallStartMs: 1_700_000_000_000 + startMs });
      const monitor = createMonitor({ clock }, config);
      await monitor.start();
      monitor.ingest(
        {
          type: 'heartbeat',
          nodeId: 'n1',
          incarnation: 4,
          seq: 1,
          sentAtMs: 1_700_000_000_500,
          intervalMs: 250,
        },
        udpPeer,
      );
      clock.advance(12.5);
      monitor.ingest({ type: 'heartbeat', nodeId: 'n1', incarnation: 4, seq: 1 }, udpPeer); // duplicate
      monitor.ingest({ type: 'heartbeat', nodeId: 'plain' }, udpPeer);
      await monitor.stop();
      expect(monitor.stats().recording).toMatchObject({ lines: 2, dropped: 0, error: null });
    }
    const lines = readFileSync(recordPath, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual([
      '#heartbeat-recording v1 wall_origin_ms=1700000000000',
      '1000\tn1\t4\t1\t1700000000500\t250',
      '1012.5\tplain\t\t\t\t100',
      '#heartbeat-recording v1 wall_origin_ms=1700000000000',
      '7000\tn1\t4\t1\t1700000000500\t250',
      '7012.5\tplain\t\t\t\t100',
    ]);
  });
});
