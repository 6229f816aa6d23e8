/**
 * How the node table makes a detector for a node: a function from a spec and the sender's
 * interval to a fresh detector. Injected as a component so the simulator and tests can count or
 * replace detectors; by default the detector registry's `createDetector`.
 */
import type { DetectorContext, FailureDetector } from '../detectors/detector.js';
import { createDetector } from '../detectors/registry.js';
import type { DetectorSpec } from '../detectors/spec.js';

export type DetectorFactory = (spec: DetectorSpec, context: DetectorContext) => FailureDetector;

/** The default factory: the registry, which validates the spec and applies its defaults. */
export const defaultDetectorFactory: DetectorFactory = createDetector;
