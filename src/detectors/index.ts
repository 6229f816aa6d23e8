/** The failure detectors: one interface, several algorithms, a registry that builds them from specs. */
export type {
  DetectorContext,
  DetectorExplanation,
  DetectorKind,
  FailureDetector,
} from './detector.js';
export type {
  ChenParams,
  DetectorSpec,
  MissedBeatsParams,
  PhiAccrualParams,
  PhiCassandraParams,
  QuantileParams,
  TimeoutParams,
} from './spec.js';
export { FixedTimeoutDetector, type FixedTimeoutOptions } from './fixed-timeout.js';
export { MissedBeatsDetector, type MissedBeatsOptions } from './missed-beats.js';
export {
  PhiAccrualDetector,
  akkaPhi,
  akkaPhiInverse,
  resolvePhiAccrualOptions,
  type PhiAccrualOptions,
} from './phi-accrual.js';
export {
  PhiCassandraDetector,
  PHI_FACTOR,
  cassandraPhi,
  resolvePhiCassandraOptions,
  type PhiCassandraOptions,
} from './phi-cassandra.js';
export { ChenDetector, resolveChenOptions, type ChenOptions } from './chen.js';
export { QuantileDetector, type QuantileOptions } from './quantile.js';
export {
  DETECTOR_KINDS,
  createDetector,
  describeDetector,
  describeDetectorDefaults,
  isDetectorKind,
  parseDetectorSpec,
  type DetectorDefault,
} from './registry.js';
