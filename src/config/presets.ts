/**
 * Named starting points for the monitor's timing, and the defaults for everything else. A preset
 * sets the timing fields together (interval, detector, dead grace, startup grace, pause guard) so
 * they stay consistent with each other; a config file, the environment or flags then change
 * single fields on top (see load.ts for the order). docs/CONFIG.md repeats the reasons below.
 */
import * as timing from '../core/defaults.js';
import { resolvePhiAccrualOptions } from '../detectors/phi-accrual.js';
import type { MonitorConfig, PresetName } from './types.js';

/** The φ accrual detector's own defaults at the default interval, as the library resolves them. */
const PHI_DEFAULTS = resolvePhiAccrualOptions({}, { intervalMs: timing.DEFAULT_INTERVAL_MS });

/** The fields a preset decides. */
export type PresetValues = Pick<
  MonitorConfig,
  'defaultIntervalMs' | 'detector' | 'deadAfterMs' | 'startupGraceMs' | 'pauseGuard'
>;

export const PRESET_NAMES: readonly PresetName[] = ['lan', 'wan', 'local'];

/** The preset used when no source names one. */
export const DEFAULT_PRESET: PresetName = 'lan';

export const PRESETS: Readonly<Record<PresetName, PresetValues>> = {
  /**
   * One data centre or office network: sub-millisecond latency, rare loss. Exactly the library's
   * defaults (core/defaults.ts and the φ detector's own) at the default interval, so the daemon
   * with no configuration detects as a NodeTable built with no options. The values are written
   * out in ms, as a configuration states them; the library scales the same rules with each
   * node's interval, so the two agree for senders at the default interval (test/config).
   */
  lan: {
    // 1 heartbeat a second: Akka's and memberlist's LAN default; 1 UDP datagram/s per node is nothing.
    defaultIntervalMs: timing.DEFAULT_INTERVAL_MS,
    detector: {
      kind: timing.DEFAULT_DETECTOR.kind,
      // Akka's and Cassandra's threshold, 8, proven on many clusters.
      threshold: PHI_DEFAULTS.threshold,
      // Akka's 100 ms floor (interval / 10): a very regular sender's σ cannot collapse, so one
      // late heartbeat does not send φ past the threshold.
      minStdDeviationMs: PHI_DEFAULTS.minStdDeviationMs,
      // Akka's 3 intervals of silence absorbed (lost datagrams plus a GC pause), for detection
      // about 4.5 s after the last heartbeat.
      acceptableHeartbeatPauseMs: PHI_DEFAULTS.acceptableHeartbeatPauseMs,
    },
    // 10 s (10 intervals) suspect before dead: a rebooting switch port or a long GC pause
    // recovers within it.
    deadAfterMs: timing.defaultDeadAfterMs(timing.DEFAULT_INTERVAL_MS),
    // 30 s for a registered node's agent to start: a container pull and process start fit.
    startupGraceMs: timing.defaultStartupGraceMs(timing.DEFAULT_INTERVAL_MS),
    pauseGuard: {
      // A timer 500 ms late is a stalled monitor, not timer jitter (a few ms).
      toleranceMs: timing.PAUSE_TOLERANCE_MS,
      // 2 intervals: every live sender's queued heartbeat is read before anyone is convicted.
      graceMs: timing.defaultPauseGraceMs(timing.DEFAULT_INTERVAL_MS),
    },
  },
  /** Across regions or the internet: tens to hundreds of ms of latency, bursts of loss. */
  wan: {
    // 5 s: WAN links cost money and jitter is large next to a shorter interval.
    defaultIntervalMs: 5000,
    detector: {
      kind: 'phi-accrual',
      // Higher than LAN: jitter is heavy-tailed, and a false "dead" across a WAN is expensive.
      threshold: 12,
      // 500 ms floor: WAN jitter is rarely below it even when the link looks smooth.
      minStdDeviationMs: 500,
      // 2 intervals (10 s) of silence absorbed: a route flap or a burst of loss.
      acceptableHeartbeatPauseMs: 10_000,
    },
    // 60 s suspect before dead: BGP reconverges within it; no failover for a blip.
    deadAfterMs: 60_000,
    // 2 min for a remote agent to come up.
    startupGraceMs: 120_000,
    pauseGuard: {
      // A 2 s stall still matters when the detector waits for tens of seconds.
      toleranceMs: 2000,
      // 2 intervals, as for LAN.
      graceMs: 10_000,
    },
  },
  /** Processes on the same host (supervisors, sidecars, tests): no network in between. */
  local: {
    // 250 ms: loopback is free, and a local supervisor wants to react within a second.
    defaultIntervalMs: 250,
    detector: {
      kind: 'timeout',
      // 4 intervals: only scheduling delays cause lateness locally, and they are short.
      timeoutMs: 1000,
    },
    // 2 s suspect before dead: a local process that is silent this long is hung or gone.
    deadAfterMs: 2000,
    // 10 s: a local process starts in well under that.
    startupGraceMs: 10_000,
    pauseGuard: {
      // Half the detector's timeout: a stall this long would cause false suspicions.
      toleranceMs: 250,
      // 2 intervals.
      graceMs: 500,
    },
  },
};

/** Defaults of the fields that presets do not set. */
export const DEFAULTS: Omit<MonitorConfig, keyof PresetValues | 'preset'> = {
  // Loopback: without a token file the HTTP API answers everyone and can register and remove
  // nodes, so it is opened to the network only when an operator says so (--host).
  host: '127.0.0.1',
  // 9000 for heartbeats (UDP and TCP share the number, as DNS does), 8080 for HTTP: common,
  // unprivileged, and easy to remember.
  udpPort: 9000,
  tcpPort: 9000,
  httpPort: 8080,
  // Relative to the working directory, as a service's WorkingDirectory= or a container's volume.
  dataPath: './data/heartbeat.db',
  groups: [],
  actions: { on: [], webhooks: [] },
  recordPath: null,
  // No keys until an operator gives some: a monitor that refused every heartbeat out of the box
  // would be no use; docs/CONFIG.md says how to turn authentication on.
  keyFile: null,
  // A minute: far above the drift of clocks kept by NTP, short enough that a captured heartbeat
  // is useless soon after.
  maxClockSkewMs: 60_000,
  // No tokens until an operator gives some (docs/CONFIG.md, "API tokens"); the monitor warns
  // when its API then listens beyond loopback, and requireAuth makes that a refusal.
  tokenFile: null,
  requireAuth: false,
  // Beside IP addresses, localhost and this machine's name, no host name: a request naming
  // another (DNS rebinding) is refused until an operator lists the names the API is reached by.
  allowedHosts: [],
  // No page of another origin may call the API (no CORS) until an operator lists it.
  corsOrigins: [],
  // A week is long enough to look at a dead node after a weekend; a quarter of history and at
  // most 5 M transitions (a few GB with their evidence) keep the file bounded.
  retention: {
    forgetAfterMs: 7 * 24 * 3_600_000,
    historyMaxAgeMs: 90 * 24 * 3_600_000,
    historyMaxRows: 5_000_000,
  },
};
