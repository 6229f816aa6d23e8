/**
 * A swarm, as in TigerBeetle's simulator: each seed draws a different network (delay, loss,
 * monitor stalls, a crash at a random time), and checkers judge the run from outside the node
 * table: no healthy node is ever declared dead, and the crashed node is declared dead within a
 * bound. A failure names its seed (assertRun), so it can be replayed exactly.
 */
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../src/core/rng.js';
import { assertRun } from '../../src/sim/checks.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { runScenario } from '../../src/sim/simulator.js';

const TIMEOUT_MS = 3000;
const DEAD_AFTER_MS = 5000;
const MAX_STALL_MS = 4000;
const PAUSE_GRACE_MS = 2000;

function swarmScenario(seed: number) {
  const rng = new SeededRng(seed);
  return parseScenario({
    name: `swarm-${seed}`,
    durationMs: 180_000,
    nodes: 8,
    intervalMs: 1000,
    jitterRatio: rng.next() * 0.2,
    delay: { kind: 'log-normal', medianMs: 1 + rng.next() * 50, sigma: rng.next() * 0.6 },
    loss: { kind: 'independent', probability: rng.next() * 0.05 },
    monitorPauses: {
      everyMs: 20_000 + rng.next() * 40_000,
      durationMs: { kind: 'uniform', minMs: 100, maxMs: MAX_STALL_MS },
    },
    clockDriftPpm: rng.next() * 200,
    crash: { atMs: 30_000 + rng.next() * 100_000 },
    monitor: {
      detector: { kind: 'timeout', timeoutMs: TIMEOUT_MS },
      deadAfterMs: DEAD_AFTER_MS,
      pauseGraceMs: PAUSE_GRACE_MS,
    },
  });
}

describe('swarm', () => {
  it('no healthy node is convicted and the crashed one is, within the bound, for 25 seeds', () => {
    // Worst case: the last heartbeat's delay (log-normal tail, < 1 s here), the timeout, a stall
    // that hides the deadline, the pause guard's grace after it, then the dead grace.
    const bound = 1000 + TIMEOUT_MS + MAX_STALL_MS + PAUSE_GRACE_MS + DEAD_AFTER_MS;
    let stalls = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const result = runScenario(swarmScenario(seed), { seed });
      assertRun(result, { noFalseConvictions: true, convictWithinMs: bound });
      stalls += result.table.stalls;
    }
    expect(stalls).toBeGreaterThan(25); // the pause guard was put to work
  });
});
