/**
 * `heartbeat events --follow` across a restart of the monitor, all real processes: a follower
 * prints transitions, the monitor is stopped (SIGTERM: its stream ends; SIGKILL: the connection
 * breaks) and started again on the same --data and ports while transitions keep happening; the
 * follower says it lost the connection and where it resumed, and prints every transition of the
 * history exactly once, in order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { killedAfterEach, startCli, startMonitor } from './cli-process.js';

/** Nothing is convicted during the test: every transition is one the test asked for. */
const QUIET = [
  '--detector',
  '{"kind":"timeout","timeoutMs":600000}',
  '--dead-after',
  '10m',
  '--startup-grace',
  '10m',
  '--interval',
  '1s',
];

const track = killedAfterEach();

/** Polls `check` until it holds (each try is a request to the monitor). */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition never held');
}

interface Row {
  id: number;
  nodeId: string;
  to: string;
}

describe('events --follow across a monitor restart', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'prints every transition once, in order, when the monitor gets %s and comes back',
    async (signal) => {
      const data = path.join(mkdtempSync(path.join(tmpdir(), 'hb-follow-')), 'history.db');
      const first = track(await startMonitor([...QUIET, '--data', data]));
      const url = `http://127.0.0.1:${first.http}`;
      const ports = ['--udp-port', String(first.udp), '--tcp-port', String(first.tcp)];
      const ping = async (p: string) => {
        expect(
          (
            await fetch(`${url}${p}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
            })
          ).status,
        ).toBe(200);
      };
      const follower = track(startCli(['events', '--follow', '--json', '--url', url]));
      /** Waits for the follower to print `nodeId` entering `to`; resolves with its id. */
      const printed = async (nodeId: string, to: string) => {
        const line = await follower.waitFor(new RegExp(`^\\{.*"nodeId":"${nodeId}".*"to":"${to}"`));
        return (JSON.parse(line.input) as Row).id;
      };
      await until(async () =>
        /^heartbeat_sse_clients 1$/m.test(await (await fetch(`${url}/metrics`)).text()),
      );

      for (const p of ['/ping/a', '/ping/b', '/ping/a/fail', '/ping/b/leave']) await ping(p);
      const beforeRestart = await printed('b', 'left');
      await first.stop(signal);
      await follower.waitFor(/^events: connection lost, reconnecting in \d+ ms \(.+\)$/);

      track(
        await startMonitor([...QUIET, '--data', data, ...ports, '--http-port', String(first.http)]),
      );
      // Transitions while the follower may still be away: the resume replays them.
      for (const p of ['/ping/c', '/ping/a']) await ping(p);
      await follower.waitFor(new RegExp(`^events: resumed after id ${beforeRestart}$`));
      await ping('/ping/c/leave');
      await printed('c', 'left');

      const { events } = (await (await fetch(`${url}/v1/events?limit=1000`)).json()) as {
        events: Row[];
      };
      const history = events.reverse();
      const seen = follower.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Row);
      expect(seen.map((r) => r.id)).toEqual(history.map((r) => r.id));
      expect(seen.map((r) => `${r.nodeId} ${r.to}`)).toEqual(
        history.map((r) => `${r.nodeId} ${r.to}`),
      );
      // What the test asked for is all there, across the restart.
      expect(seen.filter((r) => r.nodeId === 'a').map((r) => r.to)).toEqual(
        expect.arrayContaining(['alive', 'dead']),
      );
      expect(
        seen
          .filter((r) => r.nodeId === 'c')
          .map((r) => r.to)
          .at(-1),
      ).toBe('left');
      // One loss, retries while the monitor was down, one resume, and no gap.
      const said = follower.lines.filter((l) => l.startsWith('events: '));
      expect(said[0]).toMatch(/^events: connection lost, reconnecting in 250 ms/);
      for (const l of said.slice(1, -1)) expect(l).toMatch(/^events: still no connection/);
      expect(said.at(-1)).toBe(`events: resumed after id ${beforeRestart}`);
    },
  );
});
