import { PauseWindows } from './pause-windows.js';
import { streamRng } from './rng-streams.js';
import type { Scenario } from './scenario.js';
import { SenderModel } from './sender-model.js';
import { roundMs, type Arrival, type ArrivalTrace } from './traces/arrival-trace.js';

/**
 * The arrival trace of one node of a scenario, without running the monitor: the same heartbeats,
 * losses, partitions and delays the full simulator produces for that node with that seed (they
 * draw from the same streams), so the QoS replay and the lab's sweeps run on synthetic scenarios
 * exactly as on recorded traces.
 *
 * - The scenario's crash is ignored: QoS needs the failure-free run and injects its own crashes.
 * - A heartbeat arriving during a monitor pause is received when the pause ends (as the monitor
 *   reads it); the pause guard itself is not modelled by the replay.
 * - Times are from the node's first send (or the scenario start, with `fromScenarioStart`);
 *   `intervalMs` is the scenario's interval.
 */
export function scenarioToTrace(
  scenario: Scenario,
  seed: number,
  options: {
    /** Which node (0-based). @default 0 */
    node?: number;
    /** Keep the scenario's clock (0 = scenario start) instead of starting at the first send. @default false */
    fromScenarioStart?: boolean;
  } = {},
): ArrivalTrace {
  const node = options.node ?? 0;
  const sender = new SenderModel(scenario, seed, node, { ignoreCrash: true });
  const raw: { seq: number; sentMs: number; recvMs: number | null }[] = [];
  for (let h = sender.next(); h !== undefined; h = sender.next()) {
    // The same order of draws as MemoryNetwork.send: partition (no draw), loss, then delay.
    let recvMs: number | null = null;
    if (!sender.partitioned(h.sentMs) && !sender.lose()) recvMs = h.sentMs + sender.delayMs();
    raw.push({ seq: h.seq, sentMs: h.sentMs, recvMs });
  }
  if (scenario.monitorPauses !== undefined) {
    const stalls = new PauseWindows(scenario.monitorPauses, streamRng(seed, 'monitor'));
    const byArrival = raw
      .filter((a) => a.recvMs !== null)
      .sort((a, b) => (a.recvMs as number) - (b.recvMs as number));
    // The stall in force (from its start to the end of any stall chained to it).
    let held = { startMs: Infinity, endMs: -Infinity };
    for (const a of byArrival) {
      const t = a.recvMs as number;
      if (t >= held.startMs && t < held.endMs) {
        a.recvMs = held.endMs;
        continue;
      }
      const w = stalls.pauseAt(t);
      if (w === undefined) continue;
      held = { startMs: w.startMs, endMs: stalls.resumeAt(t) };
      a.recvMs = held.endMs;
    }
  }
  const t0 = options.fromScenarioStart === true ? 0 : (raw[0]?.sentMs ?? 0);
  const arrivals: Arrival[] = raw.map((a) => ({
    seq: a.seq,
    sentMs: roundMs(a.sentMs - t0),
    recvMs: a.recvMs === null ? null : roundMs(a.recvMs - t0),
  }));
  return { name: `${scenario.name}#seed${seed}`, intervalMs: scenario.intervalMs, arrivals };
}
