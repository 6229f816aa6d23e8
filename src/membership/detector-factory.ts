/**
 * How the node table makes a detector for a node: a function from a spec and the sender's
 * interval to a fresh detector. Injected as a component so the simulator and tests can count or
 * replace detectors; by default the detector registry's `createDetector`.
 */
import type { DetectorContext, FailureDetector } from '../detectors/detector.js';
import { FixedTimeoutDetector } from '../detectors/fixed-timeout.js';
import type { DetectorSpec } from '../detectors/spec.js';

export type DetectorFactory = (spec: DetectorSpec, context: DetectorContext) => FailureDetector;

/**
 * The default factory. Only the fixed timeout is built in here; every other kind falls back to it
 * with the spec's defaults until the registry (src/detectors/registry.ts) provides them.
 */
export const defaultDetectorFactory: DetectorFactory = (spec, context) =>
  new FixedTimeoutDetector(spec.kind === 'timeout' ? spec : {}, context);
