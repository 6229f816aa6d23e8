/**
 * `heartbeat monitor --key-file` as a process, attacked over real UDP and TCP sockets: a forged,
 * a replayed, a wrong-key and a rotated-out-key heartbeat are each refused (none accepted) and
 * counted; `heartbeat agent --key-file` gets in, an agent without keys does not; a key file
 * others may read stops either with exit 2 and one line.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBinary } from '../../src/protocol/binary.js';
import { Keyring } from '../../src/protocol/keyring.js';
import type { Message } from '../../src/protocol/message.js';
import { sendUdp } from '../monitor/helpers.js';
import { startCli, startMonitor, type CliProcess } from './cli-process.js';

const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const S1 = Buffer.alloc(32, 0x51);
const S2 = Buffer.alloc(32, 0x52);
const line = (id: number, secret: Buffer, options = '') =>
  `${id} base64:${secret.toString('base64')} ${options}`;

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hb-auth-'));
  dirs.push(dir);
  return dir;
}

function writeKeys(file: string, lines: string[], mode = 0o600): string {
  writeFileSync(file, `${lines.join('\n')}\n`);
  chmodSync(file, mode);
  return file;
}

interface Stats {
  ingest: {
    rejected: Record<'udp' | 'tcp', Record<string, number>>;
    outcomes: Record<string, number>;
  };
}

describe('heartbeat monitor --key-file', () => {
  it('refuses forged, replayed, wrong-key and rotated-key heartbeats over UDP and TCP, counting each', async () => {
    const dir = tempDir();
    const keys = writeKeys(path.join(dir, 'keys'), [line(1, S1, 'primary'), line(2, S2)]);
    const monitor = await startMonitor(['--data', ':memory:', '--key-file', keys, '--quiet']);
    running.push(monitor);
    await monitor.waitFor(/2 keys from .*; unauthenticated heartbeats are refused/);
    const api = `http://127.0.0.1:${monitor.http}`;
    const stats = async () => (await (await fetch(`${api}/v1/stats`)).json()) as Stats;
    const node = async () =>
      (
        (await (await fetch(`${api}/v1/nodes/victim`)).json()) as {
          node: { heartbeats: number; lastSeq: number };
        }
      ).node;
    const tcp = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(monitor.tcp, '127.0.0.1', () => resolve(s));
    });
    const settled = async (check: (s: Stats) => boolean) => {
      for (;;) {
        const s = await stats();
        if (check(s)) return s;
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    const key1 = new Keyring([{ id: 1, secret: S1, primary: true }]);
    const key2 = new Keyring([{ id: 2, secret: S2, primary: true }]);
    const wrong = new Keyring([{ id: 1, secret: Buffer.alloc(32, 0x99), primary: true }]);
    const message = (seq: number, sentAtMs = Date.now()): Message => ({
      type: 'heartbeat',
      nodeId: 'victim',
      incarnation: 7,
      seq,
      sentAtMs,
      intervalMs: 60_000,
    });
    const signed = (ring: Keyring, seq: number) =>
      encodeBinary(message(seq), ring.signingKey('victim'));

    // The real sender: seq 1 over UDP, seq 2 over TCP. An attacker captures both.
    const captured1 = signed(key1, 1);
    const captured2 = signed(key1, 2);
    await sendUdp(monitor.udp, captured1);
    await settled((s) => s.ingest.outcomes['accepted'] === 1);
    tcp.write(captured2);
    await settled((s) => s.ingest.outcomes['accepted'] === 2);

    // Replayed: each captured datagram sent again, over both transports.
    await sendUdp(monitor.udp, captured1);
    await sendUdp(monitor.udp, captured2);
    tcp.write(captured1);
    tcp.write(captured2);
    // Forged: a captured frame with its seq moved ahead (the MAC no longer fits).
    const forged = Buffer.from(captured2);
    forged[7 + 1 + 'victim'.length + 4 + 3] = 200;
    await sendUdp(monitor.udp, forged);
    tcp.write(forged);
    // Wrong key: a frame made with a secret the monitor does not hold, under its key id 1.
    await sendUdp(monitor.udp, signed(wrong, 3));
    tcp.write(signed(wrong, 4));
    // Captured long ago: a valid frame whose send time is two minutes old.
    await sendUdp(
      monitor.udp,
      encodeBinary(message(5, Date.now() - 120_000), key1.signingKey('victim')),
    );
    // Unauthenticated: a text line on each.
    await sendUdp(monitor.udp, 'victim\n');
    tcp.write('victim\n');

    let s = await settled(
      (x) =>
        (x.ingest.rejected.tcp['unauthenticated'] ?? 0) +
          (x.ingest.rejected.udp['unauthenticated'] ?? 0) ===
        2,
    );
    expect(s.ingest.outcomes).toMatchObject({ accepted: 2, stale: 2, duplicate: 2 });
    expect(s.ingest.rejected.udp).toEqual({ 'bad-mac': 2, 'clock-skew': 1, unauthenticated: 1 });
    expect(s.ingest.rejected.tcp).toEqual({ 'bad-mac': 2, unauthenticated: 1 });
    expect(await node()).toMatchObject({ heartbeats: 2, lastSeq: 2 });

    // Rotated: key 2 becomes the primary, key 1 is removed; a frame under key 1 is refused.
    writeKeys(keys, [line(2, S2, 'primary')]);
    const mark = monitor.lines.length;
    monitor.child.kill('SIGHUP');
    await monitor.waitFor(/SIGHUP: 1 key from/, 10_000, mark);
    await sendUdp(monitor.udp, signed(key1, 10));
    tcp.write(signed(key1, 11));
    await sendUdp(monitor.udp, signed(key2, 12));
    s = await settled((x) => x.ingest.outcomes['accepted'] === 3);
    s = await settled((x) => (x.ingest.rejected.tcp['unknown-key'] ?? 0) === 1);
    expect(s.ingest.rejected.udp['unknown-key']).toBe(1);
    expect(await node()).toMatchObject({ heartbeats: 3, lastSeq: 12 });
    tcp.destroy();
  });

  it('lets in `heartbeat agent --key-file` and keeps out an agent without keys', async () => {
    const dir = tempDir();
    const keys = writeKeys(path.join(dir, 'keys'), [line(1, S1, 'primary')]);
    const monitor = await startMonitor(['--data', ':memory:', '--key-file', keys]);
    running.push(monitor);
    const agent = (id: string, env: NodeJS.ProcessEnv, extra: string[] = []) =>
      startCli(
        [
          'agent',
          '--id',
          id,
          '--monitor',
          `udp://127.0.0.1:${monitor.udp}`,
          '--interval',
          '100ms',
          ...extra,
        ],
        env,
      );
    const signedAgent = agent('signed', {}, ['--key-file', keys]);
    const byEnv = agent('by-env', { HEARTBEAT_KEY_FILE: keys });
    const plain = agent('plain', { HEARTBEAT_KEY_FILE: '' });
    running.push(signedAgent, byEnv, plain);
    await signedAgent.waitFor(/signing with key 1 of /);
    await monitor.waitFor(/signed: unknown → alive/);
    await monitor.waitFor(/by-env: unknown → alive/);
    const unauthenticated = async () =>
      ((await (await fetch(`http://127.0.0.1:${monitor.http}/v1/stats`)).json()) as Stats).ingest
        .rejected.udp['unauthenticated'] ?? 0;
    while ((await unauthenticated()) < 3) await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`http://127.0.0.1:${monitor.http}/v1/nodes/plain`)).status).toBe(404);

    // SIGHUP: the agent reads its key file again and signs with the new primary; a file that
    // does not load is refused in one line, and the agent goes on with the keys it had.
    writeKeys(keys, [line(1, S1, 'primary'), line(2, S2)]);
    let mark = monitor.lines.length;
    monitor.child.kill('SIGHUP');
    await monitor.waitFor(/SIGHUP: 2 keys from/, 10_000, mark);
    const agentKeys = writeKeys(path.join(dir, 'agent-keys'), [line(2, S2, 'primary')]);
    const rotating = agent('rotating', {}, ['--key-file', agentKeys]);
    running.push(rotating);
    await rotating.waitFor(/signing with key 2 of /);
    writeKeys(agentKeys, [line(1, S1, 'primary')]);
    mark = rotating.lines.length;
    rotating.child.kill('SIGHUP');
    await rotating.waitFor(/SIGHUP: keys read again, signing with key 1 of /, 10_000, mark);
    writeKeys(agentKeys, ['1 not-a-secret']);
    mark = rotating.lines.length;
    rotating.child.kill('SIGHUP');
    await rotating.waitFor(/SIGHUP: keys refused, the old ones stay: .*line 1/, 10_000, mark);
    await monitor.waitFor(/rotating: unknown → alive/);
    expect(rotating.child.exitCode).toBeNull();
    const stats = (await (
      await fetch(`http://127.0.0.1:${monitor.http}/v1/stats`)
    ).json()) as Stats;
    expect(stats.ingest.rejected.udp).toEqual({
      unauthenticated: stats.ingest.rejected.udp['unauthenticated'],
    });
  });

  it('refuses a key file others may read: the monitor and the agent exit 2 with one line', async () => {
    const dir = tempDir();
    const keys = writeKeys(path.join(dir, 'keys'), [line(1, S1, 'primary')], 0o644);
    const fix = `key file ${keys} may be read or written by its group or others (mode 0644); make it private: chmod 600 ${keys}`;
    const freePorts = ['udp', 'tcp', 'http'].flatMap((p) => [`--${p}-port`, '0']);
    const monitor = startCli(['monitor', '--data', ':memory:', ...freePorts, '--key-file', keys]);
    const agent = startCli(['agent', '--id', 'a', '--key-file', keys]);
    running.push(monitor, agent);
    expect(await monitor.exited).toBe(2);
    expect(await agent.exited).toBe(2);
    expect(monitor.lines.filter((l) => l !== '')).toEqual([`heartbeat monitor: ${fix}`]);
    expect(agent.lines.filter((l) => l !== '')).toEqual([`heartbeat agent: ${fix}`]);
  });
});
