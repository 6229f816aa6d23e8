import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import { nextEvent, testConfig } from './helpers.js';

const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'agent-process.ts',
);

/** Real agents against a real monitor on loopback: the whole path, waiting for events. */
describe('agents and a monitor', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function startMonitor() {
    const monitor = createMonitor({ clock: new SystemClock() }, testConfig());
    const ports = await monitor.start();
    cleanup.push(() => monitor.stop());
    return { monitor, ports };
  }

  it('agents over UDP, TCP and HTTP come alive, carry their payload, and leave on stop', async () => {
    const { monitor, ports } = await startMonitor();
    const targets = {
      'over-udp': `udp://127.0.0.1:${ports.udpPort}`,
      'over-tcp': `tcp://127.0.0.1:${ports.tcpPort}`,
      'over-http': `http://127.0.0.1:${ports.httpPort}`,
    };
    const agents = Object.entries(targets).map(
      ([nodeId, target]) =>
        new Agent(
          { clock: new SystemClock() },
          { nodeId, targets: [target], intervalMs: 50, providers: [], metrics: { role: nodeId } },
        ),
    );
    const alive = Promise.all(
      Object.keys(targets).map((id) => nextEvent(monitor, 'node:alive', (t) => t.nodeId === id)),
    );
    for (const a of agents) a.start();
    await alive;
    for (const id of Object.keys(targets)) {
      expect(monitor.table.get(id)).toMatchObject({ state: 'alive', payload: { role: id } });
    }
    const received = monitor.stats().ingest.received;
    expect(received.udp).toBeGreaterThan(0);
    expect(received.tcp).toBeGreaterThan(0);
    expect(received.http).toBeGreaterThan(0);

    const left = Promise.all(
      Object.keys(targets).map((id) => nextEvent(monitor, 'node:left', (t) => t.nodeId === id)),
    );
    await Promise.all(agents.map((a) => a.stop({ leave: true })));
    await left;
    expect(monitor.table.counts()).toMatchObject({ left: 3, suspect: 0, dead: 0 });
  });

  it('an agent process killed with SIGKILL is suspected, then declared dead', async () => {
    const { monitor, ports } = await startMonitor();
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', fixture, 'victim', `udp://127.0.0.1:${ports.udpPort}`],
      { stdio: 'inherit' },
    );
    cleanup.push(() => {
      child.kill('SIGKILL');
    });
    await nextEvent(monitor, 'node:alive', (t) => t.nodeId === 'victim');
    const suspect = nextEvent(monitor, 'node:suspect', (t) => t.nodeId === 'victim');
    const dead = nextEvent(monitor, 'node:dead', (t) => t.nodeId === 'victim');
    child.kill('SIGKILL');
    expect((await suspect).reason).toBe('detector');
    const t = await dead;
    expect(t.reason).toBe('dead-grace-expired');
    expect(t.evidence.incarnation).not.toBeNull();
    expect(
      (await monitor.history?.transitions({ nodeId: 'victim', state: 'dead' }))?.rows,
    ).toHaveLength(1);
  });
});
