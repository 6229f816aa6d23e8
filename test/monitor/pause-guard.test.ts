import { describe, expect, it } from 'vitest';
import type { NodeTransition } from '../../src/membership/types.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { StallEvent } from '../../src/monitor/stall-watchdog.js';
import type { Peer } from '../../src/transport/listener.js';
import { StallingClock, testConfig } from './helpers.js';

const from: Peer = { transport: 'udp', address: '10.0.0.1', port: 4000 };

/**
 * A monitor without sockets, fed through `ingest`, on a clock that can stall: exact tests of
 * what the pause guard does when the monitor process itself stops running for a while.
 */
async function setup(toleranceMs: number) {
  const clock = new StallingClock();
  const monitor = createMonitor(
    { clock },
    testConfig({
      udpPort: null,
      tcpPort: null,
      httpPort: null,
      pauseGuard: { toleranceMs, graceMs: 300 },
    }),
  );
  const transitions: NodeTransition[] = [];
  const stalls: StallEvent[] = [];
  monitor.on('transition', (t) => transitions.push(t));
  monitor.on('monitor:stall', (s) => stalls.push(s));
  await monitor.start();
  const seq = new Map<string, number>();
  const beat = (nodeId: string) => {
    const n = (seq.get(nodeId) ?? 0) + 1;
    seq.set(nodeId, n);
    return monitor.ingest(
      { type: 'heartbeat', nodeId, incarnation: 1, seq: n, intervalMs: 100 },
      from,
    );
  };
  /** Both nodes beat every 100 ms for `ms`. */
  const run = (ms: number, nodes: string[]) => {
    for (let t = 0; t < ms; t += 100) {
      for (const id of nodes) beat(id);
      clock.advance(100);
    }
  };
  return { clock, monitor, transitions, stalls, beat, run };
}

const convictions = (ts: NodeTransition[], nodeId: string) =>
  ts.filter((t) => t.nodeId === nodeId && (t.to === 'suspect' || t.to === 'dead'));

describe('pause guard', () => {
  it('convicts nobody when the monitor stalls, and catches a node that died meanwhile one grace later', async () => {
    const { clock, monitor, transitions, stalls, beat, run } = await setup(500);
    run(1000, ['steady', 'doomed']);
    // The monitor stops for 5 s. `steady` keeps sending (its heartbeats wait in the socket
    // buffer); `doomed` crashes at the start of the stall.
    clock.stall(5000);
    clock.advance(1); // overdue timers run, late: the pause guard sees the stall first
    beat('steady'); // the queued heartbeat is read
    run(1000, ['steady']);
    expect(convictions(transitions, 'steady')).toEqual([]);
    expect(stalls.length).toBeGreaterThanOrEqual(1);
    expect(stalls[0]?.stalledMs).toBeGreaterThanOrEqual(4900);
    expect(monitor.stats().stalls.stalls).toBe(1);
    const doomed = convictions(transitions, 'doomed');
    expect(doomed[0]?.to).toBe('suspect');
    // Held for one grace (300 ms) after the stall was noticed, then convicted at once.
    const stallEndMs = (stalls[0] as StallEvent).atMs;
    expect(doomed[0]?.atMs).toBeGreaterThanOrEqual(stallEndMs);
    expect(doomed[0]?.atMs).toBeLessThanOrEqual(stallEndMs + 300 + 100);
    expect(monitor.table.get('steady')?.state).toBe('alive');
    await monitor.stop();
  });

  it('without the guard (tolerance beyond the stall) the same stall convicts a healthy node', async () => {
    const { clock, monitor, transitions, stalls, beat, run } = await setup(60_000);
    run(1000, ['steady']);
    clock.stall(5000);
    clock.advance(1);
    beat('steady');
    expect(stalls).toEqual([]);
    expect(convictions(transitions, 'steady').length).toBeGreaterThan(0);
    await monitor.stop();
  });

  it('holds convictions for one grace at start: the monitor heard nothing while it was down', async () => {
    const { monitor, transitions } = await setup(500);
    const deferred = monitor.table.convictionsDeferredUntilMs;
    expect(deferred).toBe(300);
    expect(monitor.stats().deferrals).toEqual({ start: 1 });
    expect(transitions).toEqual([]);
    await monitor.stop();
  });
});
