/**
 * A real Agent and a real NodeTable wired together in memory: MemorySender → MemoryNetwork →
 * MemoryHeartbeatListener → the table, all on one ManualClock, so every instant is exact.
 */
import { describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { ManualClock } from '../../src/core/clock.js';
import { SeededRng } from '../../src/core/rng.js';
import { NodeTable } from '../../src/membership/node-table.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { NodeTransition } from '../../src/membership/types.js';
import type { Peer, RejectReason } from '../../src/transport/listener.js';
import { memoryListener } from '../../src/transport/memory-listener.js';
import { MemoryNetwork } from '../../src/transport/memory-network.js';
import { memorySenders } from '../../src/transport/memory-sender.js';
import { testConfig } from '../monitor/helpers.js';

function wired(options: { delayMs?: number } = {}) {
  const clock = new ManualClock({ startMs: 0, wallStartMs: 1_700_000_000_000 });
  const network = new MemoryNetwork({ clock }, { delayMs: () => options.delayMs ?? 5 });
  const table = new NodeTable(
    { clock },
    { detector: { kind: 'timeout', timeoutMs: 300 }, deadAfterMs: 1000 },
  );
  const transitions: string[] = [];
  table.on('transition', (t: NodeTransition) => transitions.push(`${t.to}:${t.reason}`));
  const peers: Peer[] = [];
  const rejects: RejectReason[] = [];
  const listener = memoryListener({ network, address: 'monitor:9000' })({
    clock,
    sink: {
      onMessage: (message, from) => {
        peers.push(from);
        table.receive(message, { address: from.address });
      },
      onReject: (reason) => rejects.push(reason),
    },
  });
  const agent = new Agent(
    {
      clock,
      rng: new SeededRng(1),
      createSender: memorySenders({ clock, network }, { from: 'web-1.local' }),
    },
    { nodeId: 'web-1', targets: ['udp://monitor:9000'], intervalMs: 100, providers: [] },
  );
  return { clock, network, table, transitions, peers, rejects, listener, agent };
}

describe('Agent and NodeTable over a MemoryNetwork', () => {
  it('the node goes alive on the first heartbeat and dead after the agent stops', async () => {
    const { clock, table, transitions, peers, rejects, listener, agent } = wired();
    expect(await listener.start()).toBeNull();
    agent.start();
    expect(table.get('web-1')).toBeUndefined(); // in flight for 5 ms
    clock.advance(5);
    expect(table.get('web-1')?.state).toBe('alive');
    expect(peers[0]).toEqual({ transport: 'udp', address: 'web-1.local', port: 0 });

    clock.advance(2000);
    expect(table.get('web-1')?.state).toBe('alive');
    const heard = agent.stats().seq;
    expect(heard).toBeGreaterThanOrEqual(18);
    expect(table.get('web-1')?.lastSeq).toBe(heard);

    // A crash, as the monitor sees it: the heartbeats stop and no leave is sent.
    await agent.stop({ leave: false });
    clock.advance(300 + 5);
    expect(table.get('web-1')?.state).toBe('suspect');
    clock.advance(1000);
    expect(table.get('web-1')?.state).toBe('dead');
    expect(transitions).toEqual([
      'unknown:first-heartbeat',
      'alive:first-heartbeat',
      'suspect:detector',
      'dead:dead-grace-expired',
    ]);
    expect(rejects).toEqual([]);
    expect(agent.stats().targets['udp://monitor:9000']).toMatchObject({ sent: heard, failed: 0 });
    await listener.stop();
  });

  it('a graceful stop arrives as a leave, and the node is left, not dead', async () => {
    const { clock, table, listener, agent } = wired();
    await listener.start();
    agent.start();
    clock.advance(500);
    await agent.stop();
    clock.advance(5);
    expect(table.get('web-1')?.state).toBe('left');
    clock.advance(5000);
    expect(table.get('web-1')?.state).toBe('left');
  });

  it('an agent with no listener to reach counts its sends as failed; invalid input is rejected', async () => {
    const { clock, network, listener, agent, rejects, table } = wired();
    agent.start();
    clock.advance(250);
    expect(agent.stats().targets['udp://monitor:9000']).toMatchObject({ sent: 0, failed: 3 });
    await agent.stop({ leave: false });
    await listener.start();
    network.send('intruder', 'monitor:9000', { type: 'heartbeat', nodeId: 'two words' });
    clock.advance(5);
    expect(rejects).toEqual(['bad-node-id']);
    expect(table.size).toBe(0);
    await listener.stop();
  });

  it('a real Monitor, given the memory listener as its one listener, announces alive then dead', async () => {
    const clock = new ManualClock({ startMs: 0, wallStartMs: 1_700_000_000_000 });
    const network = new MemoryNetwork({ clock }, { delayMs: () => 5 });
    const monitor = new Monitor(
      { clock, listeners: [memoryListener({ network, address: 'monitor:9000' })] },
      testConfig({
        udpPort: null,
        tcpPort: null,
        httpPort: null,
        detector: { kind: 'timeout', timeoutMs: 300 },
        deadAfterMs: 1000,
        pauseGuard: { toleranceMs: 500, graceMs: 200 },
      }),
    );
    const announced: string[] = [];
    monitor.on('transition', (t) => announced.push(`${t.nodeId} ${t.to}`));
    expect(await monitor.start()).toEqual({ udpPort: null, tcpPort: null, httpPort: null });
    const agent = new Agent(
      {
        clock,
        rng: new SeededRng(2),
        createSender: memorySenders({ clock, network }, { from: 'db-1.local' }),
      },
      { nodeId: 'db-1', targets: ['tcp://monitor:9000'], intervalMs: 100, providers: [] },
    );
    agent.start();
    clock.advance(1000);
    expect(monitor.table.get('db-1')).toMatchObject({ state: 'alive', address: 'db-1.local' });
    expect(monitor.stats().ingest.received.udp).toBeGreaterThanOrEqual(9);
    await agent.stop({ leave: false });
    clock.advance(2000);
    expect(monitor.table.get('db-1')?.state).toBe('dead');
    expect(announced).toEqual(['db-1 unknown', 'db-1 alive', 'db-1 suspect', 'db-1 dead']);
    await monitor.stop();
  });
});
