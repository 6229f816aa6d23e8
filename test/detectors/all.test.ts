import { createDetector, DETECTOR_KINDS } from '../../src/detectors/registry.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { detectorCompliance } from './compliance.js';

// Every registered kind with its defaults: a newly registered detector is covered here.
for (const kind of DETECTOR_KINDS) {
  detectorCompliance(kind, (context) => createDetector({ kind } as DetectorSpec, context));
}

// Corners of the parameter space: the smallest windows, no slack, thresholds far from 8.
const corners: DetectorSpec[] = [
  { kind: 'timeout', timeoutMs: 1e-3 },
  { kind: 'missed-beats', failureThreshold: 1 },
  { kind: 'phi-accrual', windowSize: 1, acceptableHeartbeatPauseMs: 0, threshold: 0.1 },
  { kind: 'phi-accrual', windowSize: 2, minStdDeviationMs: 1e-3, threshold: 300 },
  { kind: 'phi-cassandra', windowSize: 1, maxIntervalMs: 1e-3, threshold: 0.5 },
  { kind: 'chen', windowSize: 1, safetyMarginMs: 0 },
];
for (const spec of corners) {
  detectorCompliance(`${spec.kind} ${JSON.stringify(spec)}`, (context) =>
    createDetector(spec, context),
  );
}
