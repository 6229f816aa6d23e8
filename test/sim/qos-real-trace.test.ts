/** The QoS replay on a real trace is deterministic: the same trace read twice gives the same numbers. */
import path from 'node:path';
import { TRACE_DIR } from '../fixtures/trace-dir.js';
import { describe, expect, it } from 'vitest';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { evaluateMany } from '../../src/sim/qos.js';
import { readTrace } from '../../src/sim/traces/read-trace.js';

const file = path.join(TRACE_DIR, 'starlink', 'leo-isl-10ms-ping-D.txt');

describe('QoS on a real trace', () => {
  it('gives identical numbers when the trace is replayed twice', () => {
    const specs: DetectorSpec[] = [
      { kind: 'timeout' },
      { kind: 'missed-beats' },
      { kind: 'phi-accrual' },
      { kind: 'phi-cassandra' },
      { kind: 'chen' },
    ];
    const first = evaluateMany(readTrace(file)[0]!, specs);
    const second = evaluateMany(readTrace(file)[0]!, specs);
    expect(second).toEqual(first);
    for (const r of first) {
      expect(r.heartbeats).toBe(10_337);
      expect(r.lost).toBe(337);
      expect(r.crashes).toBe(10_337);
      expect(r.detectionMeanMs).toBeGreaterThan(0);
      expect(r.queryAccuracy).toBeGreaterThan(0);
      expect(r.queryAccuracy).toBeLessThanOrEqual(1);
    }
  });
});
