/**
 * `heartbeat monitor`: the daemon. Configuration comes from a file, the environment and flags
 * (in that order of precedence, see docs/CONFIG.md); transitions are printed as they happen.
 */
import { SystemClock } from '../../core/clock.js';
import { loadMonitorConfig, type MonitorConfigInput } from '../../config/load.js';
import { NODE_STATES, type NodeState, type NodeTransition } from '../../membership/types.js';
import type { MonitorConfig } from '../../config/types.js';
import { ApiTokens } from '../../api/api-tokens.js';
import { createMonitor, readTokens } from '../../daemon/create-monitor.js';
import type { StoreStateEvent } from '../../monitor/events.js';
import type { Monitor, ReloadOutcome } from '../../monitor/monitor.js';
import { cappedBufferAdvice } from '../../transport/udp-kernel-stats.js';
import type { Command } from '../command.js';
import {
  durationFlag,
  intFlag,
  parseFlags,
  UsageError,
  type CliIo,
  type FlagSpec,
} from '../usage.js';
import { listenForSignal, onEverySignal } from '../signals.js';

const help = `Usage: heartbeat monitor [flags]

Listens for heartbeats on UDP and TCP (binary frames or text lines like "node1\\n") and HTTP
(push pings and the JSON API), decides which nodes have failed, records every transition.

Flags:
  --config FILE          JSON or YAML configuration file
  --preset NAME          lan | wan | local (timing defaults for the network)
  --host ADDR            address to listen on
  --udp-port N           UDP heartbeat port (default 9000; 0 = any free port)
  --tcp-port N           TCP heartbeat port (default 9000)
  --http-port N          HTTP API port (default 8080)
  --data PATH            SQLite history file, or :memory: (default ./data/heartbeat.db)
  --detector SPEC        detector kind (timeout, missed-beats, phi-accrual, phi-cassandra, chen, …)
                         or a JSON object, e.g. '{"kind":"phi-accrual","threshold":10}'
  --interval DURATION    interval assumed for senders that do not say theirs (e.g. 1s)
  --dead-after DURATION  time a node stays suspect before it is dead (e.g. 10s)
  --startup-grace DURATION  a registered node never heard within this time is dead
                         (a DURATION has its unit: ms, s, m, h, d or w, e.g. 500ms, 1.5s, 2m)
  --on STATE COMMAND     run COMMAND (sh -c) when a node enters STATE; repeatable
                         (the node, states and evidence are in HEARTBEAT_* variables)
  --webhook URL          POST every transition as JSON to URL; repeatable
  --record FILE          append every accepted arrival to FILE (for heartbeat tune / lab)
  --key-file FILE        the keyring (one key a line: ID base64:SECRET [primary] [node=ID], a
                         private file, chmod 600): heartbeats must then be authenticated, unless
                         a group allows them unauthenticated (docs/CONFIG.md, "Keys")
  --token-file FILE      the API's tokens, one a line: SCOPES TOKEN-OR-sha256:HASH NAME
                         (scopes read, write, admin; a private file, chmod 600); without it
                         the API answers everyone who can reach it (docs/CONFIG.md, "API tokens")
  --require-auth         refuse to start without a token file
  --quiet                do not print transitions
  --help                 this text

Environment: HEARTBEAT_HOST, HEARTBEAT_UDP_PORT, HEARTBEAT_TCP_PORT, HEARTBEAT_HTTP_PORT,
HEARTBEAT_DATA, HEARTBEAT_PRESET, HEARTBEAT_DETECTOR, HEARTBEAT_WEBHOOK, HEARTBEAT_KEY_FILE,
HEARTBEAT_TOKEN_FILE, HEARTBEAT_REQUIRE_AUTH (see docs/CONFIG.md).

Signals: SIGTERM or SIGINT stops cleanly (everything stored); SIGHUP reloads the configuration
(file, environment, these flags), the key file and the token file without a restart; ports,
host and --data need a restart.
One monitor per history file: a second one on the same --data exits 2.`;

interface Flags {
  config?: string;
  preset?: string;
  host?: string;
  'udp-port'?: string;
  'tcp-port'?: string;
  'http-port'?: string;
  data?: string;
  detector?: string;
  interval?: string;
  'dead-after'?: string;
  'startup-grace'?: string;
  webhook?: string[];
  record?: string;
  'key-file'?: string;
  'token-file'?: string;
  'require-auth'?: boolean;
  quiet?: boolean;
}

const FLAGS: FlagSpec = {
  config: { type: 'string' },
  preset: { type: 'string' },
  host: { type: 'string' },
  'udp-port': { type: 'string' },
  'tcp-port': { type: 'string' },
  'http-port': { type: 'string' },
  data: { type: 'string' },
  detector: { type: 'string' },
  interval: { type: 'string' },
  'dead-after': { type: 'string' },
  'startup-grace': { type: 'string' },
  webhook: { type: 'string', multiple: true },
  record: { type: 'string' },
  'key-file': { type: 'string' },
  'token-file': { type: 'string' },
  'require-auth': { type: 'boolean' },
  quiet: { type: 'boolean' },
};

/** The `--on STATE COMMAND` pairs, their states checked. */
function onFlags(pairs: [string, string][] = []): { state: NodeState; command: string }[] {
  return pairs.map(([state, command]) => {
    if (!(NODE_STATES as readonly string[]).includes(state)) {
      throw new UsageError(
        `--on state must be one of ${NODE_STATES.join(', ')}, got ${JSON.stringify(state)}`,
      );
    }
    return { state: state as NodeState, command };
  });
}

function detectorFlag(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!text.startsWith('{')) return { kind: text };
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(
      `--detector is neither a detector kind nor valid JSON: ${JSON.stringify(raw)}`,
    );
  }
}

function formatTransition(t: NodeTransition): string {
  const time = new Date(t.wallMs).toISOString().slice(11, 23);
  const detection =
    t.detectionMs !== undefined
      ? `, detected ${(t.detectionMs / 1000).toFixed(2)} s after the last heartbeat`
      : '';
  const down = t.downForMs !== undefined ? `, down for ${(t.downForMs / 1000).toFixed(2)} s` : '';
  // A `node:joined` (unknown → unknown) or a restart (alive → alive) is not a change of state.
  const change =
    t.from !== t.to
      ? `${t.from} → ${t.to} (${t.reason}`
      : t.to === 'unknown'
        ? `joined (${t.reason}`
        : `${t.to} (${t.reason}`;
  return `${time} ${t.nodeId}: ${change}${detection}${down})`;
}

async function run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const {
    values: flags,
    positionals,
    pairs,
  } = parseFlags<Flags>('monitor', argv, FLAGS, {
    on: "dead 'notify.sh'",
  });
  const on = onFlags(pairs['on']);
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);

  const overrides: MonitorConfigInput = {
    preset: flags.preset as MonitorConfigInput['preset'],
    host: flags.host,
    udpPort: intFlag('udp-port', flags['udp-port'], 0, 65535),
    tcpPort: intFlag('tcp-port', flags['tcp-port'], 0, 65535),
    httpPort: intFlag('http-port', flags['http-port'], 0, 65535),
    dataPath: flags.data,
    detector: detectorFlag(flags.detector) as MonitorConfigInput['detector'],
    defaultIntervalMs: durationFlag('interval', flags.interval, 1),
    deadAfterMs: durationFlag('dead-after', flags['dead-after']),
    startupGraceMs: durationFlag('startup-grace', flags['startup-grace']),
    recordPath: flags.record,
    keyFile: flags['key-file'],
    tokenFile: flags['token-file'],
    requireAuth: flags['require-auth'],
    actions:
      on.length > 0 || flags.webhook !== undefined
        ? { on, webhooks: flags.webhook ?? [] }
        : undefined,
  };
  const load = () =>
    loadMonitorConfig({ file: flags.config, env, overrides: dropUndefined(overrides) });
  const config = load();

  const tokens = new ApiTokens(readTokens(config));
  const monitor = createMonitor({ clock: new SystemClock() }, config, { api: { tokens } });
  if (flags.quiet !== true) monitor.on('transition', (t) => io.out(formatTransition(t)));
  monitor.on('monitor:store', (state) => io.err(describeStoreState(state, config.dataPath)));
  // Listening before the ready line below: a supervisor may signal as soon as it reads it.
  const stop = listenForSignal(['SIGINT', 'SIGTERM']);
  const offReload = onEverySignal('SIGHUP', () => void reload(monitor, tokens, load, io));
  const ports = await monitor.start().catch((error: unknown) => {
    stop.dispose();
    offReload();
    throw error;
  });
  const where = (port: number | null, proto: string) =>
    port === null ? `${proto} off` : `${proto} ${config.host}:${port}`;
  io.out(
    `heartbeat monitor: ${where(ports.udpPort, 'udp')}, ${where(ports.tcpPort, 'tcp')}, ` +
      (ports.httpPort === null
        ? 'http off'
        : `http http://${config.host}:${ports.httpPort}/v1/nodes`) +
      `, history ${config.dataPath}`,
  );
  const keys = describeKeys(monitor);
  if (keys !== null) io.err(`heartbeat monitor: ${keys}`);
  if (ports.httpPort !== null) io.err(`heartbeat monitor: ${describeAccess(config, tokens)}`);
  const buffer = (await monitor.kernelStats())?.receiveBuffer;
  if (buffer?.capped === true) io.err(`heartbeat monitor: warning: ${cappedBufferAdvice(buffer)}`);
  const signal = await stop.received;
  offReload();
  io.err(`heartbeat monitor: ${signal}, stopping`);
  await monitor.stop();
  return 0;
}

/**
 * SIGHUP: reads the configuration again (the file, the environment, the same flags) and the
 * token file, and applies them; a configuration or token file that does not load is refused in
 * one line and the old ones stay.
 */
async function reload(
  monitor: Monitor,
  tokens: ApiTokens,
  load: () => MonitorConfig,
  io: CliIo,
): Promise<void> {
  let outcome: ReloadOutcome;
  let tokensChanged: boolean;
  try {
    const next = load();
    const specs = readTokens(next);
    outcome = await monitor.reload(next);
    tokensChanged = !tokens.sameAs(specs);
    tokens.replace(specs);
  } catch (error) {
    io.err(
      `heartbeat monitor: SIGHUP: configuration refused, the old one stays: ${messageOf(error)}`,
    );
    return;
  }
  const changed =
    outcome.applied.length === 0 ? 'nothing changed' : `changed ${outcome.applied.join(', ')}`;
  io.err(`heartbeat monitor: SIGHUP: configuration reloaded (${changed})`);
  if (outcome.applied.includes('keyFile')) {
    const keys = describeKeys(monitor) ?? 'no keys: unauthenticated heartbeats are accepted';
    io.err(`heartbeat monitor: SIGHUP: ${keys}`);
  }
  if (tokensChanged) io.err(`heartbeat monitor: SIGHUP: ${describeAccess(monitor.config, tokens)}`);
  if (outcome.needRestart.length > 0) {
    io.err(
      `heartbeat monitor: SIGHUP: ${outcome.needRestart.join(', ')} changed; a restart applies it`,
    );
  }
}

/** The keyring in one line (ids and fingerprints, never secrets), or null without keys. */
function describeKeys(monitor: Monitor): string | null {
  const keys = monitor.keyring.list();
  if (keys.length === 0) return null;
  const shown = keys.map(
    (k) => `${k.id}${k.node === null ? '' : ` (node ${k.node})`} ${k.fingerprint}`,
  );
  const open = monitor.config.groups.filter((g) => g.allowUnauthenticated === true);
  return (
    `${keys.length} key${keys.length === 1 ? '' : 's'} from ${monitor.config.keyFile}: ${shown.join(', ')}; ` +
    (open.length === 0
      ? 'unauthenticated heartbeats are refused'
      : `unauthenticated heartbeats are refused but for groups ${open.map((g) => g.name).join(', ')}`)
  );
}

/** Who may use the API: its tokens (names and scopes), or a warning when anyone may. */
function describeAccess(config: MonitorConfig, tokens: ApiTokens): string {
  if (tokens.size > 0) {
    const list = tokens.describe().map((t) => `${t.name} (${t.scopes.join(',')})`);
    return `API tokens from ${config.tokenFile}: ${list.join(', ')}`;
  }
  return isLoopback(config.host)
    ? `the HTTP API has no tokens (--token-file): any process on this machine may use it`
    : `warning: the HTTP API listens on ${config.host} with no tokens: anyone who can reach it can read, register, remove and fail nodes; give --token-file (docs/SECURITY.md)`;
}

/** An address only this machine reaches. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function describeStoreState(state: StoreStateEvent, where: string): string {
  return state.ok
    ? `heartbeat monitor: history ${where} writable again; stored ${state.stored} kept entries`
    : `heartbeat monitor: cannot write history ${where}: ${messageOf(state.error)}; still detecting, keeping what it announces for a retry`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Removes undefined fields so they do not hide values from the file or environment. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export { formatTransition };

export const command: Command = {
  name: 'monitor',

  help,
  run,
};
