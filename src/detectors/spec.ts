/**
 * Detector specifications: plain data (from a config file, a flag or the tuner) that names an
 * algorithm and its parameters. `createDetector` (in registry.ts) turns one into a detector.
 * Every field is optional; defaults scale with the sender's interval and are documented where
 * each detector is defined.
 */
export type DetectorSpec =
  | ({ kind: 'timeout' } & TimeoutParams)
  | ({ kind: 'missed-beats' } & MissedBeatsParams)
  | ({ kind: 'phi-accrual' } & PhiAccrualParams)
  | ({ kind: 'phi-cassandra' } & PhiCassandraParams)
  | ({ kind: 'chen' } & ChenParams)
  | ({ kind: 'quantile' } & QuantileParams);

export interface TimeoutParams {
  timeoutMs?: number;
}

export interface MissedBeatsParams {
  /** Expected intervals that may pass with nothing before suspecting. */
  failureThreshold?: number;
}

export interface PhiAccrualParams {
  threshold?: number;
  minStdDeviationMs?: number;
  acceptableHeartbeatPauseMs?: number;
  windowSize?: number;
  firstHeartbeatEstimateMs?: number;
}

export interface PhiCassandraParams {
  threshold?: number;
  windowSize?: number;
  maxIntervalMs?: number;
}

export interface ChenParams {
  windowSize?: number;
  safetyMarginMs?: number;
}

export interface QuantileParams {
  /** False suspicions per hour budgeted on a healthy link (see quantile.ts). */
  mistakesPerHour?: number;
  /** How long a wait is remembered (its weight halves every `halfLifeMs`). */
  halfLifeMs?: number;
  /** Arrivals kept to measure the sender's real interval. */
  windowSize?: number;
  /** Period of outages on a schedule to start from (another is searched for); 0: off (quantile.ts). */
  schedulePeriodMs?: number;
}
