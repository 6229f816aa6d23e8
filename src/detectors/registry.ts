/**
 * The one place that knows every detector: how to build it from a spec, which options it takes,
 * how each option is validated, and its defaults with reasons. Adding a detector means adding its
 * kind to `DetectorKind` (detector.ts) and `DetectorSpec` (spec.ts) and one entry to `DETECTORS`
 * below; the type checker refuses a kind without an entry, and the compliance suite
 * (test/detectors/all.test.ts) covers every entry automatically.
 */
import { MAX_DETECTOR_WINDOW } from '../core/limits.js';
import { ConfigError } from '../core/errors.js';
import { ChenDetector } from './chen.js';
import type { DetectorContext, DetectorKind, FailureDetector } from './detector.js';
import { DEFAULT_WINDOW_SIZE } from './pooled-window-detector.js';
import { FixedTimeoutDetector } from './fixed-timeout.js';
import { DEFAULT_FAILURE_THRESHOLD, MissedBeatsDetector } from './missed-beats.js';
import { DEFAULT_PHI_THRESHOLD, PhiAccrualDetector } from './phi-accrual.js';
import { DEFAULT_CASSANDRA_THRESHOLD, PhiCassandraDetector } from './phi-cassandra.js';
import {
  DEFAULT_HALF_LIFE_MS,
  DEFAULT_MISTAKES_PER_HOUR,
  DEFAULT_QUANTILE_WINDOW,
  DEFAULT_SCHEDULE_PERIOD_MS,
  QuantileDetector,
} from './quantile.js';
import type { DetectorSpec } from './spec.js';

/** What values an option accepts; each rule has one message. */
type OptionRule = 'positive' | 'non-negative' | 'positive-integer' | 'window';

/** One option of a detector: its rule, its default for a sender interval, and why. */
interface OptionDefinition {
  rule: OptionRule;
  default: (intervalMs: number) => number;
  reason: string;
}

/** Everything the registry knows about one kind of detector. */
interface DetectorDefinition<K extends DetectorKind> {
  summary: string;
  options: Record<string, OptionDefinition>;
  create: (spec: Extract<DetectorSpec, { kind: K }>, context: DetectorContext) => FailureDetector;
}

const window = (fallback: number, reason: string): OptionDefinition => ({
  rule: 'window',
  default: () => fallback,
  reason,
});

/** The registry. Keys are listed in `DETECTOR_KINDS` in this order. */
const DETECTORS: { [K in DetectorKind]: DetectorDefinition<K> } = {
  timeout: {
    summary: 'suspect after a fixed silence',
    options: {
      timeoutMs: {
        rule: 'positive',
        default: (intervalMs) => 3 * intervalMs,
        reason: '3 intervals: one lost heartbeat and a late one are not a failure',
      },
    },
    create: (spec, context) => new FixedTimeoutDetector(spec, context),
  },
  'missed-beats': {
    summary: 'suspect after N expected intervals pass with nothing (Redis Sentinel, Kubernetes)',
    options: {
      failureThreshold: {
        rule: 'positive-integer',
        default: () => DEFAULT_FAILURE_THRESHOLD,
        reason: "Kubernetes probes' default: a third silent interval is not noise",
      },
    },
    create: (spec, context) => new MissedBeatsDetector(spec, context),
  },
  'phi-accrual': {
    summary: 'φ accrual with a normal model, as Akka/Pekko compute it',
    options: {
      threshold: {
        rule: 'positive',
        default: () => DEFAULT_PHI_THRESHOLD,
        reason: "Akka cluster's failure-detector.threshold",
      },
      minStdDeviationMs: {
        rule: 'positive',
        default: (intervalMs) => intervalMs / 10,
        reason: "interval / 10, Akka's 100 ms for a 1 s heartbeat",
      },
      acceptableHeartbeatPauseMs: {
        rule: 'non-negative',
        default: (intervalMs) => 3 * intervalMs,
        reason: "3 intervals, Akka's 3 s for a 1 s heartbeat",
      },
      windowSize: window(
        DEFAULT_WINDOW_SIZE,
        'Akka keeps 1000; 32 estimate the mean within a few percent and adapt faster',
      ),
      firstHeartbeatEstimateMs: {
        rule: 'positive',
        default: (intervalMs) => intervalMs,
        reason: 'the announced interval, as Akka bootstraps from its heartbeat-interval',
      },
    },
    create: (spec, context) => new PhiAccrualDetector(spec, context),
  },
  'phi-cassandra': {
    summary: "φ with an exponential model, as Cassandra's FailureDetector computes it",
    options: {
      threshold: {
        rule: 'positive',
        default: () => DEFAULT_CASSANDRA_THRESHOLD,
        reason: "Cassandra's phi_convict_threshold (≈ 18.4 mean intervals of silence)",
      },
      windowSize: window(
        DEFAULT_WINDOW_SIZE,
        'Cassandra keeps 1000; the mean of 32 is within a few percent for a steady sender',
      ),
      maxIntervalMs: {
        rule: 'positive',
        default: (intervalMs) => 2 * intervalMs,
        reason: "2 intervals, Cassandra's MAX_INTERVAL (2 s for its 1 s gossip)",
      },
    },
    create: (spec, context) => new PhiCassandraDetector(spec, context),
  },
  chen: {
    summary: "Chen, Toueg & Aguilera's expected-arrival estimate plus a safety margin",
    options: {
      windowSize: window(DEFAULT_WINDOW_SIZE, 'the mean of 32 arrival offsets has settled'),
      safetyMarginMs: {
        rule: 'non-negative',
        default: (intervalMs) => 2 * intervalMs,
        reason: '2 intervals: a steady sender is suspected ~3 intervals after its last beat',
      },
    },
    create: (spec, context) => new ChenDetector(spec, context),
  },
  quantile: {
    summary: 'empirical quantile of past waits, sized by a false-suspicion budget per hour',
    options: {
      mistakesPerHour: {
        rule: 'positive',
        default: () => DEFAULT_MISTAKES_PER_HOUR,
        reason: 'half of one false suspicion per node-hour: the tail beyond the data is estimated',
      },
      halfLifeMs: {
        rule: 'positive',
        default: () => DEFAULT_HALF_LIFE_MS,
        reason: '1 h: rare outages recur over minutes and must be remembered between them',
      },
      windowSize: window(
        DEFAULT_QUANTILE_WINDOW,
        'arrivals that measure the real interval; one late beat barely moves it',
      ),
      schedulePeriodMs: {
        rule: 'non-negative',
        default: () => DEFAULT_SCHEDULE_PERIOD_MS,
        reason:
          "15 s: Starlink's satellite reassignment period, where the search for the schedule's own starts; 0 turns schedules off",
      },
    },
    create: (spec, context) => new QuantileDetector(spec, context),
  },
};

/** Every detector kind the registry can build. */
export const DETECTOR_KINDS = Object.keys(DETECTORS) as readonly DetectorKind[];

/** Whether `kind` names a registered detector. */
export function isDetectorKind(kind: unknown): kind is DetectorKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(DETECTORS, kind);
}

/**
 * Builds the detector a spec describes for a sender with `context.intervalMs`. The spec is
 * validated as `parseDetectorSpec` does; a bad spec or interval throws `ConfigError`.
 */
export function createDetector(spec: DetectorSpec, context: DetectorContext): FailureDetector {
  if (!(
    typeof context.intervalMs === 'number' &&
    context.intervalMs > 0 &&
    Number.isFinite(context.intervalMs)
  )) {
    throw new ConfigError(
      `detector intervalMs must be a positive number, got ${show(context.intervalMs)}`,
    );
  }
  const valid = parseDetectorSpec(spec);
  const definition = DETECTORS[valid.kind] as DetectorDefinition<DetectorKind>;
  return definition.create(valid as never, context);
}

/**
 * Validates plain data (a config file's `detector` section, a flag) into a `DetectorSpec`.
 * Throws `ConfigError` with one line naming the first bad field, prefixed with `path`, e.g.
 * `detector.threshold must be a positive number, got "abc"`. Unknown fields are errors too, so a
 * typo never silently falls back to a default.
 */
export function parseDetectorSpec(input: unknown, path = 'detector'): DetectorSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(`${path} must be an object with a "kind", got ${show(input)}`);
  }
  const record = input as Record<string, unknown>;
  const kind = record.kind;
  if (!isDetectorKind(kind)) {
    throw new ConfigError(
      `${path}.kind must be one of ${DETECTOR_KINDS.join(', ')}, got ${show(kind)}`,
    );
  }
  const options = DETECTORS[kind].options;
  const spec: Record<string, unknown> = { kind };
  for (const [field, value] of Object.entries(record)) {
    if (field === 'kind' || value === undefined) continue;
    const option = Object.prototype.hasOwnProperty.call(options, field)
      ? options[field]
      : undefined;
    if (option === undefined) {
      const known = Object.keys(options).join(', ');
      throw new ConfigError(`${path}.${field} is not an option of ${kind} (options: ${known})`);
    }
    const problem = checkRule(option.rule, value);
    if (problem !== null) {
      throw new ConfigError(`${path}.${field} must be ${problem}, got ${show(value)}`);
    }
    spec[field] = value;
  }
  return spec as unknown as DetectorSpec;
}

/** One documented default: the option, its value for a sender interval, and why. */
export interface DetectorDefault {
  option: string;
  value: number;
  reason: string;
}

/** The defaults a detector of `kind` uses for a sender with interval `intervalMs`. */
export function describeDetectorDefaults(
  kind: DetectorKind,
  intervalMs: number,
): DetectorDefault[] {
  return Object.entries(DETECTORS[kind].options).map(([option, definition]) => ({
    option,
    value: definition.default(intervalMs),
    reason: definition.reason,
  }));
}

/** A one-line description of `kind`, for help text and the API. */
export function describeDetector(kind: DetectorKind): string {
  return DETECTORS[kind].summary;
}

/** Returns null if `value` satisfies `rule`, else what it must be. */
function checkRule(rule: OptionRule, value: unknown): string | null {
  const finite = typeof value === 'number' && Number.isFinite(value);
  switch (rule) {
    case 'positive':
      return finite && value > 0 ? null : 'a positive number';
    case 'non-negative':
      return finite && value >= 0 ? null : 'a number ≥ 0';
    case 'positive-integer':
      return finite && Number.isInteger(value) && value > 0 ? null : 'a positive integer';
    case 'window':
      return finite && Number.isInteger(value) && value >= 1 && value <= MAX_DETECTOR_WINDOW
        ? null
        : `an integer from 1 to ${MAX_DETECTOR_WINDOW} (MAX_DETECTOR_WINDOW)`;
  }
}

/** A short, safe rendering of a bad value for an error message. */
function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
