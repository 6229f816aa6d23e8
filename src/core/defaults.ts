/**
 * The timing defaults, written once. The node table, the stall watchdog and the agent fall back
 * to these, and the daemon's `lan` preset (config/presets.ts) is built from them, so a library
 * user who sets nothing and the monitor started with no configuration detect alike (a test
 * holds them equal). A detector's own defaults stay with the detector (detectors/registry.ts).
 */

/**
 * Heartbeat interval, ms: the agent's, and the one assumed for a sender that does not say its
 * own (text lines, bare pings). One a second is Akka's and memberlist's LAN default: detection
 * within a few seconds, and one small datagram a second per node is nothing.
 */
export const DEFAULT_INTERVAL_MS = 1000;

/** The detector of every node unless configured: φ accrual adapts to each sender's jitter. */
export const DEFAULT_DETECTOR = { kind: 'phi-accrual' } as const;

/**
 * suspect → dead after this many of the node's intervals: ten heartbeats missed in a row after
 * suspicion is a crash, not a hiccup; a rebooting switch port or a long GC pause recovers within
 * it (10 s at 1 s).
 */
export const DEAD_AFTER_INTERVALS = 10;

/**
 * A registered node never heard from is dead after this long at least (ms): time for its agent
 * to start after the registration, a container pull included.
 */
export const STARTUP_GRACE_MS = 30_000;

/** …and never less than this many of its intervals, for nodes that send rarely. */
export const STARTUP_GRACE_INTERVALS = 3;

/**
 * Pause guard: a deadline timer or watchdog tick later than due by more than this (ms) means the
 * monitor itself stalled (GC, SIGSTOP, a VM pause, an overloaded event loop). Far above timer
 * jitter (a few ms) and the GC pauses of a healthy process, well below a heartbeat interval.
 */
export const PAUSE_TOLERANCE_MS = 500;

/**
 * After a stall, convictions wait this many intervals, so that heartbeats queued in socket
 * buffers while the monitor was blind are read first: every live sender has sent one by then.
 */
export const PAUSE_GRACE_INTERVALS = 2;

/** suspect → dead for a node at `intervalMs` when nothing else is configured. */
export function defaultDeadAfterMs(intervalMs: number): number {
  return DEAD_AFTER_INTERVALS * intervalMs;
}

/** The startup grace of a registered node at `intervalMs` when nothing else is configured. */
export function defaultStartupGraceMs(intervalMs: number): number {
  return Math.max(STARTUP_GRACE_MS, STARTUP_GRACE_INTERVALS * intervalMs);
}

/** The pause guard's grace for senders at `intervalMs` when nothing else is configured. */
export function defaultPauseGraceMs(intervalMs: number): number {
  return PAUSE_GRACE_INTERVALS * intervalMs;
}
