/**
 * Fault suite: a key rotated under a live fleet. 20 real agents sign with key 1 to a monitor
 * process that takes only authenticated heartbeats; the monitor learns key 2 (SIGHUP), the
 * agents make key 2 their primary (SIGHUP), the monitor forgets key 1 (SIGHUP). No node is
 * suspected at any point, nothing the agents send is refused, and afterwards a heartbeat under
 * the old key is refused as unknown-key.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBinary } from '../../src/protocol/binary.js';
import { Keyring } from '../../src/protocol/keyring.js';
import type { CliProcess } from '../integration/cli-process.js';
import { sendUdp } from '../monitor/helpers.js';
import { change, counts, monitorOn, record, startFleet, until } from './harness.js';

const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const OLD = Buffer.alloc(32, 0x0d);
const NEW = Buffer.alloc(32, 0x2e);
const line = (id: number, secret: Buffer, primary: boolean) =>
  `${id} base64:${secret.toString('base64')}${primary ? ' primary' : ''}`;

function writeKeys(file: string, lines: string[]): void {
  writeFileSync(file, `${lines.join('\n')}\n`);
  chmodSync(file, 0o600);
}

interface Stats {
  ingest: { rejected: { udp: Record<string, number> }; outcomes: Record<string, number> };
}

describe('a key rotated under 20 live agents', () => {
  it('suspects no node and refuses nothing they send; the old key is refused afterwards', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-rotate-'));
    dirs.push(dir);
    const monitorKeys = path.join(dir, 'monitor.keys');
    const agentKeys = path.join(dir, 'agent.keys');
    writeKeys(monitorKeys, [line(1, OLD, true)]);
    writeKeys(agentKeys, [line(1, OLD, true)]);

    const monitor = await monitorOn(path.join(dir, 'history.db'), undefined, [
      '--key-file',
      monitorKeys,
    ]);
    running.push(monitor);
    await monitor.waitFor(/1 key from .*; unauthenticated heartbeats are refused/);
    const seen = await record(monitor);
    const fleet = await startFleet(monitor.udp, 'rot-', 20, 100, agentKeys);
    running.push(fleet);
    await until(async () => (await counts(monitor)).alive === 20, 30_000, '20 alive');
    const stats = async () =>
      (await (await fetch(`http://127.0.0.1:${monitor.http}/v1/stats`)).json()) as Stats;
    const accepted = async () => (await stats()).ingest.outcomes['accepted'] ?? 0;
    /** Waits until the fleet has had `n` more heartbeats accepted: time passes under load. */
    const beats = async (n: number, what: string) => {
      const from = await accepted();
      await until(async () => (await accepted()) >= from + n, 30_000, what);
    };
    await beats(100, 'heartbeats under key 1');

    // 1. The monitor learns the new key.
    writeKeys(monitorKeys, [line(1, OLD, true), line(2, NEW, false)]);
    let mark = monitor.lines.length;
    monitor.child.kill('SIGHUP');
    await monitor.waitFor(/SIGHUP: 2 keys from/, 10_000, mark);
    await beats(100, 'heartbeats under key 1, both known');

    // 2. The agents sign with it.
    writeKeys(agentKeys, [line(1, OLD, false), line(2, NEW, true)]);
    mark = fleet.lines.length;
    fleet.child.kill('SIGHUP');
    await fleet.waitFor(/^fleet keys read: 2$/, 10_000, mark);
    await beats(100, 'heartbeats under key 2');

    // 3. The monitor forgets the old key.
    writeKeys(monitorKeys, [line(2, NEW, true)]);
    mark = monitor.lines.length;
    monitor.child.kill('SIGHUP');
    await monitor.waitFor(/SIGHUP: 1 key from/, 10_000, mark);
    await beats(200, 'heartbeats under key 2 alone');

    const transitions = seen.frames.filter((f) => f.event.startsWith('node:'));
    const accused = transitions.filter(
      (f) => f.event === 'node:suspect' || f.event === 'node:dead',
    );
    expect(
      accused.map((f) => change(f.data)),
      'nodes suspected during the rotation',
    ).toEqual([]);
    expect(await counts(monitor)).toMatchObject({ alive: 20 });
    const rejected = (await stats()).ingest.rejected.udp;
    expect(rejected, 'what the monitor refused of the fleet').toEqual({});

    // A heartbeat under the old key, now removed, is refused and counted.
    const old = new Keyring([{ id: 1, secret: OLD, primary: true }]);
    const frame = encodeBinary(
      {
        type: 'heartbeat',
        nodeId: 'rot-0',
        incarnation: 2 ** 32 - 1,
        seq: 1,
        sentAtMs: Date.now(),
        intervalMs: 100,
      },
      old.signingKey('rot-0'),
    );
    await sendUdp(monitor.udp, frame);
    await until(
      async () => (await stats()).ingest.rejected.udp['unknown-key'] === 1,
      10_000,
      'the old key refused',
    );
    seen.close();
  });
});
