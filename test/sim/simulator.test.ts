import { describe, expect, it } from 'vitest';
import { assertRun, checkRun } from '../../src/sim/checks.js';
import { evaluateDetector } from '../../src/sim/qos.js';
import { parseScenario, type Scenario } from '../../src/sim/scenario.js';
import { scenarioToTrace } from '../../src/sim/scenario-trace.js';
import { standardScenario } from '../../src/sim/scenarios/index.js';
import { runScenario, simNodeId } from '../../src/sim/simulator.js';
import { lostCount } from '../../src/sim/traces/arrival-trace.js';

const base = {
  name: 'test',
  durationMs: 120_000,
  intervalMs: 1000,
  jitterRatio: 0.1,
  delay: { kind: 'log-normal', medianMs: 5, sigma: 0.3 },
  monitor: { detector: { kind: 'phi-accrual' }, deadAfterMs: 5000 },
};
const lines = (r: ReturnType<typeof runScenario>) =>
  r.transitions.map((t) => `${t.atMs} ${t.nodeId} ${t.from}→${t.to} ${t.reason}`);

describe('runScenario', () => {
  it('is reproducible: the same seed gives identical transitions, another seed different ones', () => {
    const s = parseScenario({
      ...base,
      nodes: 5,
      loss: { kind: 'independent', probability: 0.3 },
      monitor: { detector: { kind: 'timeout', timeoutMs: 1500 } },
    });
    const a = runScenario(s, { seed: 11 });
    const b = runScenario(s, { seed: 11 });
    const c = runScenario(s, { seed: 12 });
    expect(a.falseSuspicions, `seed ${a.seed}`).toBeGreaterThan(0);
    expect(lines(b)).toEqual(lines(a));
    expect(b).toEqual(a);
    expect(lines(c)).not.toEqual(lines(a));
  });

  it('detects a crash: suspect within a few intervals, dead after the grace, no false conviction', () => {
    const s = parseScenario({ ...base, nodes: 3, crash: { atMs: 60_000, nodes: 1 } });
    const r = runScenario(s, { seed: 3 });
    assertRun(r, { noFalseSuspicions: true, detectWithinMs: 6000, convictWithinMs: 11_000 });
    expect(r.crashes).toHaveLength(1);
    const c = r.crashes[0]!;
    expect(c.nodeId).toBe('node-001');
    expect(c.detectionMs).toBeGreaterThan(1000);
    expect(c.convictionMs! - c.detectionMs!).toBeCloseTo(5000, 6);
    expect(r.finalStates).toEqual({ unknown: 0, alive: 2, suspect: 0, dead: 1, left: 0 });
    expect(
      lines(r)
        .filter((l) => l.includes('node-001'))
        .slice(-2),
    ).toEqual([
      `${c.suspectAtMs} node-001 alive→suspect detector`,
      `${c.deadAtMs} node-001 suspect→dead dead-grace-expired`,
    ]);
  });

  it('a partition causes suspicion of the cut-off nodes, then recovery', () => {
    const s = parseScenario({
      ...base,
      nodes: 3,
      partitions: [{ startMs: 40_000, durationMs: 20_000, nodes: 2 }],
    });
    const r = runScenario(s, { seed: 5 });
    const cut = [simNodeId(0, 3), simNodeId(1, 3)];
    for (const id of cut) {
      const mine = r.transitions.filter((t) => t.nodeId === id).map((t) => `${t.from}→${t.to}`);
      expect(mine, `seed ${r.seed}`).toEqual([
        'unknown→unknown',
        'unknown→alive',
        'alive→suspect',
        'suspect→dead',
        'dead→alive',
      ]);
      const down = r.transitions.find((t) => t.nodeId === id && t.to === 'suspect')!;
      expect(down.atMs).toBeGreaterThan(40_000);
      expect(down.atMs).toBeLessThan(46_000);
      const back = r.transitions.find((t) => t.nodeId === id && t.from === 'dead')!;
      expect(back.atMs).toBeGreaterThanOrEqual(60_000);
      expect(back.atMs).toBeLessThan(62_000);
    }
    expect(r.transitions.some((t) => t.nodeId === simNodeId(2, 3) && t.to === 'suspect')).toBe(
      false,
    );
    expect(r.network.partitioned).toBeGreaterThan(30);
    // The checker flags the partition's convictions, with the seed to replay it.
    const firstDead = r.transitions.find((t) => t.to === 'dead')!;
    expect(checkRun(r)).toEqual([
      `scenario test seed 5: 2 healthy node(s) declared dead (first: ${firstDead.nodeId} at ${firstDead.atMs} ms, dead-grace-expired)`,
    ]);
    expect(() => assertRun(r)).toThrow('replay with seed 5');
  });

  it('a monitor pause with the pause guard convicts nobody; without the guard it does', () => {
    const paused = {
      ...base,
      nodes: 20,
      monitorPauses: { at: [{ atMs: 50_000, durationMs: 8000 }] },
      monitor: { detector: { kind: 'timeout', timeoutMs: 3000 }, deadAfterMs: 2000 },
    };
    const guarded = runScenario(parseScenario(paused), { seed: 9 });
    assertRun(guarded, { noFalseSuspicions: true });
    expect(guarded.table.stalls).toBe(1);
    const unguarded = runScenario(
      parseScenario({ ...paused, monitor: { ...paused.monitor, pauseToleranceMs: 60_000 } }),
      { seed: 9 },
    );
    expect(unguarded.table.stalls).toBe(0);
    expect(unguarded.falseSuspicions).toBe(20);
  });

  it('sender pauses longer than the timeout are false suspicions', () => {
    const s = parseScenario({
      ...base,
      senderPauses: {
        at: [
          { atMs: 30_000, durationMs: 5000 },
          { atMs: 90_000, durationMs: 500 },
        ],
      },
      monitor: { detector: { kind: 'timeout', timeoutMs: 2500 } },
    });
    const r = runScenario(s, { seed: 1 });
    expect(r.falseSuspicions).toBe(1);
    const t = r.transitions.find((x) => x.to === 'suspect')!;
    expect(t.atMs).toBeGreaterThan(30_000);
    expect(t.atMs).toBeLessThan(32_600);
  });

  it('runs many nodes at once, each with its own streams', () => {
    const s = parseScenario({ ...base, nodes: 500, durationMs: 30_000, clockDriftPpm: 100 });
    const r = runScenario(s, { seed: 2, keepTransitions: false });
    expect(r.transitions).toEqual([]);
    expect(r.transitionCount).toBe(1000); // registered, then alive, for each node
    expect(r.finalStates.alive).toBe(500);
    expect(r.heartbeatsSent).toBeGreaterThan(500 * 29);
    // All delivered but the last few still in flight when the run ended.
    expect(r.network.delivered).toBeGreaterThan(r.heartbeatsSent - 500);
    expect(r.network.lost + r.network.partitioned).toBe(0);
  });
});

describe('recurring partitions', () => {
  /**
   * A satellite-like link: 100 ms heartbeats, dropped for 0.7 s every `everyMs` from 11.95 s on;
   * watched by the quantile detector at 10 mistakes/h, from the schedule period given.
   */
  const scheduledLink = (o: {
    durationMs: number;
    everyMs: number;
    schedulePeriodMs?: number;
    crashAtMs?: number;
    lossProbability?: number;
  }): Scenario =>
    parseScenario({
      ...base,
      durationMs: o.durationMs,
      intervalMs: 100,
      jitterRatio: 0,
      delay: { kind: 'constant', ms: 20 },
      ...(o.lossProbability !== undefined && {
        loss: { kind: 'independent', probability: o.lossProbability },
      }),
      partitions: [{ startMs: 11_950, durationMs: 700, everyMs: o.everyMs }],
      ...(o.crashAtMs !== undefined && { crash: { atMs: o.crashAtMs } }),
      monitor: {
        detector: {
          kind: 'quantile',
          mistakesPerHour: 10,
          ...(o.schedulePeriodMs !== undefined && { schedulePeriodMs: o.schedulePeriodMs }),
        },
        deadAfterMs: 60_000,
      },
    });
  // Every 15 s for 10 minutes.
  const handovers = scheduledLink({ durationMs: 600_000, everyMs: 15_000 });

  it('cut the link for its duration at every period, and agree with scenarioToTrace', () => {
    const r = runScenario(handovers, { seed: 3 });
    // 40 outages of 0.7 s at one heartbeat per 100 ms: 7 heartbeats each
    expect(r.network.partitioned).toBe(40 * 7);
    const trace = scenarioToTrace(handovers, 3, { fromScenarioStart: true });
    expect(lostCount(trace)).toBe(40 * 7);
  });

  it('are learned by the quantile detector: no suspicion at each one, and a fast detection between', () => {
    // The same link, and the sender crashes at 545 s: 5 s into a period, far from a handover.
    const withCrash = (schedulePeriodMs: number) =>
      scheduledLink({ durationMs: 600_000, everyMs: 15_000, schedulePeriodMs, crashAtMs: 545_000 });
    const learning = runScenario(withCrash(15_000), { seed: 3 });
    const blind = runScenario(withCrash(0), { seed: 3 });
    // The first handovers are suspected while the schedule is learned; none after 2 minutes.
    const suspicionsFrom = (run: typeof learning, fromMs: number): number =>
      run.transitions.filter((t) => t.to === 'suspect' && t.atMs >= fromMs && t.atMs < 545_000)
        .length;
    expect(learning.falseSuspicions).toBeGreaterThan(0);
    expect(learning.falseSuspicions).toBeLessThanOrEqual(5);
    expect(suspicionsFrom(learning, 120_000)).toBe(0);
    // Without the schedule the detector covers the handovers only by being patient everywhere:
    // the crash between two handovers is detected well over twice as late.
    expect(learning.crashes[0]!.detectionMs).not.toBeNull();
    expect(blind.crashes[0]!.detectionMs).not.toBeNull();
    expect(learning.crashes[0]!.detectionMs!).toBeLessThan(500);
    expect(blind.crashes[0]!.detectionMs!).toBeGreaterThan(2 * learning.crashes[0]!.detectionMs!);
  });

  it('of another period than the configured one are found from the stalls', () => {
    // 0.7 s outages every 40 s on a link that also loses 1 % of heartbeats; the detector is
    // configured for 15 s (the default). Crash at 1 525 s: 13.05 s before the next outage.
    const every40s = (schedulePeriodMs: number) =>
      scheduledLink({
        durationMs: 1_600_000,
        everyMs: 40_000,
        schedulePeriodMs,
        crashAtMs: 1_525_000,
        lossProbability: 0.01,
      });
    const learning = runScenario(every40s(15_000), { seed: 5 });
    const blind = runScenario(every40s(0), { seed: 5 });
    // Once the period is found (within five outages), no outage is suspected: the heartbeat due
    // in one is given the outage's length. Suspicions elsewhere come from the random losses.
    const inOutage = (atMs: number): boolean => (atMs - 11_950 + 40_000) % 40_000 < 1_000;
    const outageSuspicions = learning.transitions.filter(
      (t) => t.to === 'suspect' && t.atMs < 1_525_000 && inOutage(t.atMs),
    );
    expect(outageSuspicions.length).toBeGreaterThan(0);
    expect(outageSuspicions.every((t) => t.atMs < 200_000)).toBe(true);
    expect(learning.falseSuspicions).toBeLessThanOrEqual(blind.falseSuspicions + 2);
    // Away from the outages the deadline is tight: the crash is detected four times sooner.
    expect(learning.crashes[0]!.detectionMs!).toBeLessThan(300);
    expect(blind.crashes[0]!.detectionMs!).toBeGreaterThan(4 * learning.crashes[0]!.detectionMs!);
  });
});

describe('scenarioToTrace', () => {
  it('gives exactly the heartbeats the simulator delivers for that node', () => {
    const s = parseScenario({
      ...base,
      nodes: 3,
      loss: { kind: 'gilbert-elliott', goodToBad: 0.05, badToGood: 0.3 },
      partitions: [{ startMs: 20_000, durationMs: 4000 }],
      senderPauses: { everyMs: 15_000, durationMs: { kind: 'exponential', meanMs: 1500 } },
      monitorPauses: { everyMs: 30_000, durationMs: 1200 },
      delay: { kind: 'pareto', scaleMs: 50, alpha: 1.1 },
    });
    for (const node of [0, 2]) {
      const id = simNodeId(node, 3);
      const seen: [number, number][] = [];
      runScenario(s, {
        seed: 21,
        onHeartbeat: (m, atMs) => {
          if (m.nodeId === id) seen.push([m.seq!, atMs]);
        },
      });
      const trace = scenarioToTrace(s, 21, { node, fromScenarioStart: true });
      const fromTrace = trace.arrivals
        .filter((a) => a.recvMs !== null && a.recvMs <= s.durationMs) // later ones: still in flight
        .map((a): [number, number] => [a.seq, a.recvMs!])
        .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      seen.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      expect(fromTrace.length).toBe(seen.length);
      fromTrace.forEach(([seq, recv], i) => {
        expect(seq).toBe(seen[i]![0]);
        expect(recv).toBeCloseTo(seen[i]![1], 2);
      });
      expect(lostCount(trace)).toBeGreaterThan(0);
    }
  });

  it('is deterministic per seed and ignores the crash', () => {
    const s = parseScenario({
      ...base,
      crash: { atMs: 10_000 },
      loss: { kind: 'independent', probability: 0.1 },
    });
    const a = scenarioToTrace(s, 4);
    expect(scenarioToTrace(s, 4)).toEqual(a);
    expect(scenarioToTrace(s, 5)).not.toEqual(a);
    expect(a.arrivals.length).toBeGreaterThan(110);
    expect(a.arrivals[0]).toMatchObject({ seq: 1, sentMs: 0 });
    expect(a.intervalMs).toBe(1000);
  });

  it('feeds the QoS replay: the standard scenarios give sane figures', () => {
    const lan = scenarioToTrace(standardScenario('lan'), 1);
    const r = evaluateDetector(lan, { kind: 'timeout', timeoutMs: 3000 });
    expect(r.heartbeats).toBeGreaterThan(21_000);
    expect(r.mistakes).toBe(0);
    // The sender crashes right after a heartbeat: detection = the timeout plus that heartbeat's delay.
    expect(r.detectionMeanMs).toBeGreaterThan(3000);
    expect(r.detectionMeanMs).toBeLessThan(3001);
  });
});
