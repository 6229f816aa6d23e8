/** Builds NodeTransition values for store and action tests. */
import type { NodeTransition } from '../../src/membership/types.js';

export function transition(overrides: Partial<NodeTransition> = {}): NodeTransition {
  return {
    nodeId: 'node-1',
    from: 'alive',
    to: 'suspect',
    reason: 'detector',
    atMs: 12_000,
    wallMs: 1_700_000_012_000,
    detectionMs: 3_100,
    evidence: {
      detector: {
        kind: 'phi-accrual',
        suspicion: 8.2,
        threshold: 8,
        suspects: true,
        lastArrivalMs: 8_900,
        elapsedMs: 3_100,
        suspectAtMs: 11_950,
        details: { meanMs: 1_000, stdDevMs: 100 },
      },
      sinceLastMs: 3_100,
      lastSeq: 42,
      incarnation: 7,
      lost: 1,
    },
    ...overrides,
  };
}
