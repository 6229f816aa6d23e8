/**
 * A monitor with keys, on real UDP, TCP and HTTP sockets: it takes authenticated heartbeats,
 * refuses unauthenticated ones of every kind (binary v1, JSON, text line, push ping, fail) unless
 * the node's group allows them, refuses authenticated ones sent too far from now, counts each
 * refusal by reason, and takes new keys on reload.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MonitorConfig } from '../../src/config/types.js';
import { SystemClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor, MonitorPorts } from '../../src/monitor/monitor.js';
import { encodeBinary } from '../../src/protocol/binary.js';
import { encodeJson } from '../../src/protocol/json.js';
import { Keyring } from '../../src/protocol/keyring.js';
import type { Message } from '../../src/protocol/message.js';
import { connectTcp, quietApiConfig, sendUdp, until } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET_1 = Buffer.alloc(32, 0x11);
const SECRET_2 = Buffer.alloc(32, 0x22);

function keyFile(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  chmodSync(file, 0o600);
  return file;
}
const line = (id: number, secret: Buffer, more = '') =>
  `${id} base64:${secret.toString('base64')} ${more}`;

const running: Monitor[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.stop()));
});

async function start(
  overrides: Partial<MonitorConfig>,
): Promise<{ monitor: Monitor; ports: MonitorPorts }> {
  const config = { ...quietApiConfig(), udpPort: 0, tcpPort: 0, ...overrides };
  const monitor = createMonitor({ clock: new SystemClock() }, config);
  running.push(monitor);
  const ports = await monitor.start();
  return { monitor, ports };
}

let seq = 0;
const beat = (nodeId: string, more: Partial<Message> = {}): Message => ({
  type: 'heartbeat',
  nodeId,
  incarnation: 1,
  seq: ++seq,
  sentAtMs: Date.now(),
  intervalMs: 1000,
  ...more,
});

const rejected = (monitor: Monitor, transport: 'udp' | 'tcp' | 'http', reason: string) =>
  monitor.stats().ingest.rejected[transport][reason] ?? 0;

describe('a monitor with keys', () => {
  const shared = new Keyring([{ id: 1, secret: SECRET_1, primary: true }]);

  it('takes authenticated heartbeats over UDP and TCP and refuses unauthenticated ones of every kind', async () => {
    const { monitor, ports } = await start({
      keyFile: keyFile('k1', [line(1, SECRET_1, 'primary')]),
    });
    const udp = ports.udpPort as number;
    const tcp = ports.tcpPort as number;
    const http = `http://127.0.0.1:${ports.httpPort}`;

    await sendUdp(udp, encodeBinary(beat('signed-udp'), shared.signingKey('signed-udp')));
    const socket = await connectTcp(tcp);
    socket.write(encodeBinary(beat('signed-tcp'), shared.signingKey('signed-tcp')));
    await until(() => monitor.table.size === 2);
    expect(monitor.table.get('signed-udp')?.state).toBe('alive');
    expect(monitor.table.get('signed-tcp')?.state).toBe('alive');

    await sendUdp(udp, encodeBinary(beat('plain')));
    await sendUdp(udp, encodeJson(beat('plain')));
    await sendUdp(udp, 'plain\n');
    socket.write(encodeBinary(beat('plain')));
    socket.write('plain\n');
    const ping = await fetch(`${http}/ping/plain`);
    expect(ping.status).toBe(401);
    expect(await ping.json()).toMatchObject({ error: 'unauthenticated' });
    const post = await fetch(`${http}/v1/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: encodeJson(beat('plain')),
    });
    expect(post.status).toBe(401);
    // A failure report by URL is refused too, even for a node the monitor knows.
    const fail = await fetch(`${http}/ping/signed-udp/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(fail.status).toBe(401);
    expect(monitor.table.get('signed-udp')?.state).toBe('alive');

    await until(() => rejected(monitor, 'tcp', 'unauthenticated') === 2);
    expect(rejected(monitor, 'udp', 'unauthenticated')).toBe(3);
    expect(rejected(monitor, 'http', 'unauthenticated')).toBe(3);
    expect(monitor.table.get('plain')).toBeUndefined();
    const metrics = await (await fetch(`${http}/metrics`)).text();
    expect(metrics).toMatch(
      /heartbeat_rejected_total\{transport="udp",reason="unauthenticated"\} 3/,
    );
    socket.destroy();
  });

  it('refuses forged, wrong-key, unknown-key and too-old authenticated heartbeats, each counted', async () => {
    const { monitor, ports } = await start({
      keyFile: keyFile('k2', [line(1, SECRET_1, 'primary')]),
    });
    const udp = ports.udpPort as number;
    const forged = encodeBinary(beat('n'), shared.signingKey('n'));
    forged[20] = (forged[20] as number) ^ 0x40;
    await sendUdp(udp, forged);
    const wrong = new Keyring([{ id: 1, secret: SECRET_2, primary: true }]);
    await sendUdp(udp, encodeBinary(beat('n'), wrong.signingKey('n')));
    const other = new Keyring([{ id: 2, secret: SECRET_1, primary: true }]);
    await sendUdp(udp, encodeBinary(beat('n'), other.signingKey('n')));
    const old = beat('n', { sentAtMs: Date.now() - 120_000 });
    await sendUdp(udp, encodeBinary(old, shared.signingKey('n')));
    const future = beat('n', { sentAtMs: Date.now() + 120_000 });
    await sendUdp(udp, encodeBinary(future, shared.signingKey('n')));
    await until(() => rejected(monitor, 'udp', 'clock-skew') === 2);
    expect(monitor.stats().ingest.rejected.udp).toMatchObject({
      'bad-mac': 2,
      'unknown-key': 1,
      'clock-skew': 2,
    });
    expect(monitor.table.size).toBe(0);
  });

  it('lets a group by id prefix or by tags send unauthenticated heartbeats', async () => {
    const { monitor, ports } = await start({
      keyFile: keyFile('k3', [line(1, SECRET_1, 'primary')]),
      groups: [
        { name: 'cron', idPrefix: 'cron-', allowUnauthenticated: true },
        { name: 'legacy', tags: ['legacy'], allowUnauthenticated: true },
        { name: 'closed', idPrefix: 'cron-locked', allowUnauthenticated: false },
      ],
    });
    const http = `http://127.0.0.1:${ports.httpPort}`;
    expect((await fetch(`${http}/ping/cron-backup`)).status).toBe(200);
    expect(monitor.table.get('cron-backup')?.state).toBe('alive');
    // The first matching group decides: cron-locked-1 matches `cron` first.
    expect((await fetch(`${http}/ping/cron-locked-1`)).status).toBe(200);
    await monitor.register('old-box', { tags: ['legacy'] });
    await sendUdp(ports.udpPort as number, 'old-box\n');
    await until(() => monitor.table.get('old-box')?.state === 'alive');
    expect((await fetch(`${http}/ping/web-1`)).status).toBe(401);
    expect(
      (
        await fetch(`${http}/ping/cron-backup/fail`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(200);
    expect(monitor.table.get('cron-backup')?.state).toBe('dead');
  });

  it('without keys, takes unauthenticated heartbeats and refuses authenticated ones it cannot check', async () => {
    const { monitor, ports } = await start({});
    await sendUdp(ports.udpPort as number, 'plain\n');
    await sendUdp(ports.udpPort as number, encodeBinary(beat('signed'), shared.signingKey('s')));
    await until(() => rejected(monitor, 'udp', 'unknown-key') === 1);
    await until(() => monitor.table.get('plain') !== undefined);
    expect(monitor.table.get('signed')).toBeUndefined();
    expect(monitor.admitsUnauthenticated('anyone')).toBe(true);
  });

  it('reads the key file again on reload: a new key is taken, a removed one refused', async () => {
    const file = keyFile('k4', [line(1, SECRET_1, 'primary')]);
    const { monitor, ports } = await start({ keyFile: file });
    const udp = ports.udpPort as number;
    const next = new Keyring([{ id: 2, secret: SECRET_2, primary: true }]);
    await sendUdp(udp, encodeBinary(beat('r'), next.signingKey('r')));
    await until(() => rejected(monitor, 'udp', 'unknown-key') === 1);

    writeFileSync(file, [line(1, SECRET_1), line(2, SECRET_2, 'primary')].join('\n'));
    expect((await monitor.reload(monitor.config)).applied).toEqual(['keyFile']);
    await sendUdp(udp, encodeBinary(beat('r'), next.signingKey('r')));
    await sendUdp(udp, encodeBinary(beat('r'), shared.signingKey('r')));
    await until(() => (monitor.table.get('r')?.heartbeats ?? 0) === 2);

    writeFileSync(file, line(2, SECRET_2, 'primary'));
    await monitor.reload(monitor.config);
    await sendUdp(udp, encodeBinary(beat('r'), shared.signingKey('r')));
    await until(() => rejected(monitor, 'udp', 'unknown-key') === 2);

    // A key file that does not load is refused, and the keys in force stay.
    writeFileSync(file, 'not a key file');
    await expect(monitor.reload(monitor.config)).rejects.toThrow(ConfigError);
    expect(monitor.keyring.list().map((k) => k.id)).toEqual([2]);
    expect((await monitor.reload({ ...monitor.config, keyFile: null })).applied).toEqual([
      'keyFile',
    ]);
    expect(monitor.keyring.size).toBe(0);
  });

  it('refuses to start with a key file others may read', () => {
    const file = keyFile('k5', [line(1, SECRET_1, 'primary')]);
    chmodSync(file, 0o644);
    expect(() =>
      createMonitor({ clock: new SystemClock() }, { ...quietApiConfig(), keyFile: file }),
    ).toThrow(
      /may be read or written by its group or others \(mode 0644\); make it private: chmod 600/,
    );
  });
});
