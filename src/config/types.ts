/**
 * The monitor's configuration as the rest of the code sees it, after a file, environment
 * variables and flags were merged and validated (src/config/load.ts). Every field has a
 * default; presets (`lan`, `wan`, `local`) set the timing fields together.
 */
import type { DetectorSpec } from '../detectors/spec.js';
import type { NodeState } from '../membership/types.js';

export type PresetName = 'lan' | 'wan' | 'local';

/**
 * Nodes that match get their own detector (e.g. a WAN site with slower links), or may send
 * unauthenticated heartbeats to a monitor with keys (cron jobs pinging by URL). A group sets at
 * least one of the two; each is taken from the first matching group that sets it.
 */
export interface NodeGroup {
  name: string;
  /** A node matches when it has every tag listed… */
  tags?: string[];
  /** …and its id starts with this prefix (when given). */
  idPrefix?: string;
  detector?: DetectorSpec;
  /**
   * With keys configured, the monitor refuses unauthenticated heartbeats (binary v1, JSON, text
   * lines, pings) except from nodes of a group that says true here. Without keys it is moot.
   */
  allowUnauthenticated?: boolean;
}

export interface PauseGuardConfig {
  /** A timer that fires this much later than due means the monitor itself stalled. */
  toleranceMs: number;
  /** After a stall (or a start), convictions wait this long so queued heartbeats are read first. */
  graceMs: number;
}

export interface ActionConfig {
  /** Run `command` when a node enters `state`. */
  on: { state: NodeState; command: string }[];
  /** POST a JSON document for every transition to each URL. */
  webhooks: string[];
  /**
   * Hosts a webhook may reach although they are link-local or a cloud metadata service
   * (refused by default, see config/fields.ts `forbiddenWebhookHost`).
   */
  webhookAllow?: string[];
}

/** What the monitor forgets, and when (docs/CONFIG.md, "Retention"). */
export interface RetentionConfig {
  /** A node `dead` or `left` this long leaves the live table (its history stays); null: never. */
  forgetAfterMs: number | null;
  /** Transitions older than this are pruned from the history; null: kept at any age. */
  historyMaxAgeMs: number | null;
  /** At most this many newest transitions are kept; null: any number. */
  historyMaxRows: number | null;
}

export interface MonitorConfig {
  /** Address to bind all listeners to. */
  host: string;
  /** UDP heartbeat port; 0 picks a free one; null disables UDP. */
  udpPort: number | null;
  /** TCP heartbeat port (binary frames and text lines); 0 picks a free one; null disables. */
  tcpPort: number | null;
  /** HTTP API and push-ping port; 0 picks a free one; null disables. */
  httpPort: number | null;
  /** SQLite file for the registry and history, or `:memory:`. */
  dataPath: string;
  preset: PresetName;
  /** Interval assumed for senders that do not say theirs (plain text lines, bare pings). */
  defaultIntervalMs: number;
  /** The detector for nodes in no group. */
  detector: DetectorSpec;
  groups: NodeGroup[];
  /** Time a node stays `suspect` before it is declared `dead`. */
  deadAfterMs: number;
  /** A registered node never heard from within this time after registration is `dead`. */
  startupGraceMs: number;
  pauseGuard: PauseGuardConfig;
  actions: ActionConfig;
  /** Append every accepted arrival to this file (the lab's recording format), or null. */
  recordPath: string | null;
  retention: RetentionConfig;
  /**
   * The keyring's file (src/config/key-file.ts), re-read on every reload; null: no keys, and
   * unauthenticated heartbeats are accepted from everyone.
   */
  keyFile: string | null;
  /**
   * An authenticated message whose sentAtMs is further than this from the monitor's wall clock
   * is refused (`clock-skew`): a captured one cannot be replayed later than this.
   */
  maxClockSkewMs: number;
  /**
   * The API's tokens (src/config/token-file.ts), read again on SIGHUP; null: no tokens, and the
   * API answers everyone who reaches it (a warning says so on an address others can reach).
   */
  tokenFile: string | null;
  /** Refuse to start (or reload) without a token file. */
  requireAuth: boolean;
  /** Host names the API answers to beside IP addresses, localhost and this machine's name. */
  allowedHosts: string[];
  /** Origins (`https://ops.example.com`) whose pages may call the API (CORS); none by default. */
  corsOrigins: string[];
}
