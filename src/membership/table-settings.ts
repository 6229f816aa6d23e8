/**
 * The node table's settings: the options a caller gives, their defaults (core/defaults.ts) and
 * their checks, resolved once into the values the table reads (at construction and on
 * `reconfigure`).
 */
import {
  DEFAULT_DETECTOR,
  DEFAULT_INTERVAL_MS,
  PAUSE_TOLERANCE_MS,
  defaultDeadAfterMs,
  defaultPauseGraceMs,
  defaultStartupGraceMs,
} from '../core/defaults.js';
import { ConfigError } from '../core/errors.js';
import { MAX_HEARTBEAT_INTERVAL_MS } from '../core/limits.js';
import type { DetectorSpec } from '../detectors/spec.js';

export interface NodeTableOptions {
  /**
   * Detector for every node unless `detectorFor` says otherwise.
   * @default DEFAULT_DETECTOR (core/defaults.ts), `{ kind: 'phi-accrual' }`: adapts to each
   * sender's observed jitter.
   */
  detector?: DetectorSpec;
  /** Per-node choice (groups by tag or id prefix); return undefined for the default. */
  detectorFor?: (nodeId: string, tags: readonly string[]) => DetectorSpec | undefined;
  /**
   * Interval assumed for senders that don't say theirs (text lines, bare pings).
   * @default DEFAULT_INTERVAL_MS (core/defaults.ts), 1000: the agent's default interval.
   */
  defaultIntervalMs?: number;
  /**
   * suspect → dead after this long.
   * @default defaultDeadAfterMs(the node's interval), 10 intervals (core/defaults.ts): ten
   * heartbeats missed in a row after suspicion is a crash, not a hiccup.
   */
  deadAfterMs?: number;
  /**
   * A registered (or restored) node never heard from within this time is dead ('never-came-up').
   * @default defaultStartupGraceMs(the node's interval), max(30 000, 3 intervals)
   * (core/defaults.ts): time for an agent to start after its registration.
   */
  startupGraceMs?: number;
  /**
   * Pause guard: the deadline timer firing later than due by more than this means the monitor
   * itself stalled (GC, SIGSTOP, VM pause, an overloaded event loop).
   * @default PAUSE_TOLERANCE_MS (core/defaults.ts), 500: far above timer jitter and the GC
   * pauses of a healthy process, well below a heartbeat interval.
   */
  pauseToleranceMs?: number;
  /**
   * After a detected stall, convictions wait this long so heartbeats queued in socket buffers
   * while the monitor was blind get read first.
   * @default defaultPauseGraceMs(defaultIntervalMs), 2 intervals (core/defaults.ts): every
   * live sender has sent at least one heartbeat by then.
   */
  pauseGraceMs?: number;
  /**
   * A node `dead` or `left` this long is removed from the table (`node:removed`, reason
   * `expired`); its history stays. @default undefined: kept until removed.
   */
  forgetAfterMs?: number;
  /** @default MAX_NODES from core/limits.ts. */
  maxNodes?: number;
  /**
   * Receives errors thrown by event listeners (they never stop the table or other listeners).
   * Counted in `counters().listenerErrors` either way.
   * @default rethrowLater (core/emitter.ts): thrown again on a microtask, so it reaches the
   * process's 'uncaughtException' handler instead of being lost.
   */
  onListenerError?: (error: unknown) => void;
}

/** The settings `reconfigure` may change: the timing and detector ones. */
export type TableSettings = Pick<
  NodeTableOptions,
  | 'detector'
  | 'detectorFor'
  | 'defaultIntervalMs'
  | 'deadAfterMs'
  | 'forgetAfterMs'
  | 'startupGraceMs'
  | 'pauseToleranceMs'
  | 'pauseGraceMs'
>;

/** TableSettings checked, with their defaults filled in where they do not depend on the node. */
export interface ResolvedSettings {
  readonly detector: DetectorSpec;
  readonly detectorFor: NodeTableOptions['detectorFor'];
  readonly defaultIntervalMs: number;
  /** undefined: by the node's interval (deadAfterFor). */
  readonly deadAfterMs: number | undefined;
  readonly forgetAfterMs: number | undefined;
  /** undefined: by the node's interval (startupGraceFor). */
  readonly startupGraceMs: number | undefined;
  readonly pauseToleranceMs: number;
  readonly pauseGraceMs: number;
}

/** Checks every setting (ConfigError for the first bad one) and fills in the defaults. */
export function resolveSettings(init: TableSettings): ResolvedSettings {
  const defaultIntervalMs =
    positive('defaultIntervalMs', init.defaultIntervalMs) ?? DEFAULT_INTERVAL_MS;
  if (defaultIntervalMs > MAX_HEARTBEAT_INTERVAL_MS) {
    throw new ConfigError(
      `defaultIntervalMs must be at most ${MAX_HEARTBEAT_INTERVAL_MS} ms (MAX_HEARTBEAT_INTERVAL_MS), got ${defaultIntervalMs}`,
    );
  }
  const deadAfterMs = nonNegative('deadAfterMs', init.deadAfterMs);
  const forgetAfterMs = nonNegative('forgetAfterMs', init.forgetAfterMs);
  const startupGraceMs = nonNegative('startupGraceMs', init.startupGraceMs);
  const pauseToleranceMs =
    nonNegative('pauseToleranceMs', init.pauseToleranceMs) ?? PAUSE_TOLERANCE_MS;
  const pauseGraceMs =
    nonNegative('pauseGraceMs', init.pauseGraceMs) ?? defaultPauseGraceMs(defaultIntervalMs);
  return {
    detector: init.detector ?? DEFAULT_DETECTOR,
    detectorFor: init.detectorFor,
    defaultIntervalMs,
    deadAfterMs,
    forgetAfterMs,
    startupGraceMs,
    pauseToleranceMs,
    pauseGraceMs,
  };
}

/** suspect → dead after this long, for a node sending every `intervalMs`. */
export function deadAfterFor(settings: ResolvedSettings, intervalMs: number): number {
  return settings.deadAfterMs ?? defaultDeadAfterMs(intervalMs);
}

/** The startup grace of a node sending every `intervalMs`. */
export function startupGraceFor(settings: ResolvedSettings, intervalMs: number): number {
  return settings.startupGraceMs ?? defaultStartupGraceMs(intervalMs);
}

export function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0 && Number.isFinite(value)))
    throw new ConfigError(`${name} must be a positive number of ms, got ${value}`);
  return value;
}

export function nonNegative(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value >= 0 && Number.isFinite(value)))
    throw new ConfigError(`${name} must be a non-negative number, got ${value}`);
  return value;
}
