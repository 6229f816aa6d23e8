/**
 * Checkers that judge a simulation run apart from the system under test, as TigerBeetle's
 * simulator does: safety (no healthy node declared dead) and liveness (every crashed node
 * declared failed in bounded time). Every violation names the scenario and the seed, so a failing
 * run can be replayed exactly: `runScenario(scenario, { seed })`.
 */
import { HeartbeatError } from '../core/errors.js';
import type { SimulationResult } from './simulator.js';

export interface RunExpectations {
  /** No node that had not crashed is ever `dead`. @default true */
  noFalseConvictions?: boolean;
  /** No node that had not crashed is ever `suspect`. @default false */
  noFalseSuspicions?: boolean;
  /** Every crashed node is suspected within this many ms of its crash. @default no bound */
  detectWithinMs?: number;
  /** Every crashed node is declared `dead` within this many ms of its crash. @default no bound */
  convictWithinMs?: number;
}

/** The violations of a run, one line each, each naming scenario and seed; empty when it passed. */
export function checkRun(result: SimulationResult, expect: RunExpectations = {}): string[] {
  const tag = `scenario ${result.scenario} seed ${result.seed}`;
  const out: string[] = [];
  if ((expect.noFalseConvictions ?? true) && result.falseConvictions > 0) {
    const first = result.transitions.find(
      (t) => t.to === 'dead' && !crashedBy(result, t.nodeId, t.atMs),
    );
    const where =
      first === undefined ? '' : ` (first: ${first.nodeId} at ${first.atMs} ms, ${first.reason})`;
    out.push(`${tag}: ${result.falseConvictions} healthy node(s) declared dead${where}`);
  }
  if (expect.noFalseSuspicions === true && result.falseSuspicions > 0) {
    out.push(`${tag}: ${result.falseSuspicions} false suspicion(s)`);
  }
  for (const c of result.crashes) {
    if (
      expect.detectWithinMs !== undefined &&
      !(c.detectionMs !== null && c.detectionMs <= expect.detectWithinMs)
    ) {
      out.push(
        `${tag}: ${c.nodeId} crashed at ${c.crashAtMs} ms, suspected ${c.detectionMs === null ? 'never' : `after ${c.detectionMs} ms`} (bound ${expect.detectWithinMs} ms)`,
      );
    }
    if (
      expect.convictWithinMs !== undefined &&
      !(c.convictionMs !== null && c.convictionMs <= expect.convictWithinMs)
    ) {
      out.push(
        `${tag}: ${c.nodeId} crashed at ${c.crashAtMs} ms, dead ${c.convictionMs === null ? 'never' : `after ${c.convictionMs} ms`} (bound ${expect.convictWithinMs} ms)`,
      );
    }
  }
  return out;
}

/** Throws a HeartbeatError (`sim-check`) listing the violations, with the seed, if any. */
export function assertRun(result: SimulationResult, expect: RunExpectations = {}): void {
  const problems = checkRun(result, expect);
  if (problems.length > 0) {
    throw new HeartbeatError(
      'sim-check',
      `simulation failed (replay with seed ${result.seed}): ${problems.join('; ')}`,
    );
  }
}

function crashedBy(result: SimulationResult, nodeId: string, atMs: number): boolean {
  const c = result.crashes.find((x) => x.nodeId === nodeId);
  return c !== undefined && c.crashAtMs <= atMs;
}
