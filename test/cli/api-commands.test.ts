/**
 * `heartbeat status`, `nodes` and `events` against a real monitor on loopback (in this process,
 * on the system clock), with their output captured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SystemClock } from '../../src/core/clock.js';
import { loadMonitorConfig } from '../../src/config/load.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';

let monitor: Monitor;
let url: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [...argv, '--url', url],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    {},
  );
  return { code, out, err };
}

const ping = (path: string) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  const config = loadMonitorConfig({
    env: {},
    overrides: {
      host: '127.0.0.1',
      udpPort: null,
      tcpPort: null,
      httpPort: 0,
      dataPath: ':memory:',
    },
  });
  monitor = createMonitor({ clock: new SystemClock() }, config);
  const ports = await monitor.start();
  url = `http://127.0.0.1:${ports.httpPort}`;
  expect((await ping('/ping/web-1')).status).toBe(200);
  expect((await ping('/ping/db-1')).status).toBe(200);
  expect((await ping('/ping/db-1/fail')).status).toBe(200);
});

afterAll(async () => {
  await monitor.stop();
});

describe('CLI against a running monitor', () => {
  it('status of a healthy node: one line, exit 0', async () => {
    const result = await cli('status', 'web-1');
    expect(result.code).toBe(0);
    expect(result.out).toHaveLength(1);
    expect(result.out[0]).toMatch(/^web-1: ALIVE, last heartbeat \d+\.\d s ago$/);
  });

  it('status of a failed node, and of all nodes when one failed: exit 1', async () => {
    const one = await cli('status', 'db-1');
    expect(one.code).toBe(1);
    expect(one.out[0]).toMatch(/^db-1: FAILED/);
    const all = await cli('status');
    expect(all.code).toBe(1);
    expect(all.out.map((l) => l.split(':')[0])).toEqual(['db-1', 'web-1']);
  });

  it('status of an unknown node says so and exits 1', async () => {
    const result = await cli('status', 'nobody');
    expect(result.code).toBe(1);
    expect(result.err).toEqual(['heartbeat status: no node with id "nobody"']);
  });

  it('nodes prints a table, or JSON with --json, and filters by state', async () => {
    const table = await cli('nodes');
    expect(table.code).toBe(0);
    const lines = table.out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^NODE\s+STATE\s+LAST\s+SUSPICION\s+ADDRESS\s+LOST$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['db-1', 'dead'],
      ['web-1', 'alive'],
    ]);
    const json = await cli('nodes', '--json', '--state', 'dead');
    const nodes = JSON.parse(json.out.join('\n')) as { id: string; state: string }[];
    expect(nodes.map((n) => [n.id, n.state])).toEqual([['db-1', 'dead']]);
  });

  it('events lists the history newest first, filtered by node and state', async () => {
    const result = await cli('events', '--node', 'db-1', '--json');
    expect(result.code).toBe(0);
    const rows = result.out.map(
      (l) => JSON.parse(l) as { nodeId: string; to: string; reason: string },
    );
    expect(rows.every((r) => r.nodeId === 'db-1')).toBe(true);
    expect(rows[0]).toMatchObject({ to: 'dead', reason: 'reported-failure' });
    const dead = await cli('events', '--state', 'dead');
    expect(dead.out).toHaveLength(1);
    expect(dead.out[0]).toMatch(/ {2}db-1 {2}alive → dead {2}\(reported-failure\)/);
  });

  it('events --follow --count 1 prints the next transition and exits', async () => {
    const following = cli('events', '--follow', '--count', '1', '--node', 'cache-1');
    // The stream is open once the monitor counts a subscriber; then make the transition happen.
    await waitFor(
      async () =>
        (await (await fetch(`${url}/metrics`)).text()).match(/^heartbeat_sse_clients 1$/m) !== null,
    );
    await ping('/ping/cache-1');
    const result = await following;
    expect(result.code).toBe(0);
    expect(result.out).toHaveLength(1);
    expect(result.out[0]).toMatch(/ {2}cache-1 {2}unknown → unknown {2}\(first-heartbeat\)$/);
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never held');
}
