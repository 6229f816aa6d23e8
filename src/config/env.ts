/**
 * The environment variables the monitor reads (docs/CONFIG.md lists them), each mapped to one
 * field. An unset or empty variable is ignored, so `HEARTBEAT_HOST= heartbeat monitor` does not
 * override a file. Other HEARTBEAT_* variables (an agent's) are left alone.
 */
import { durationMs, httpUrl } from './fields.js';
import { FIELD_PARSERS, type ConfigLayer } from './layer.js';
import type { MonitorConfig } from './types.js';

type TopField = keyof MonitorConfig;

/** Variable → the top-level field it sets. */
const TOP_LEVEL: Readonly<Record<string, TopField>> = {
  HEARTBEAT_PRESET: 'preset',
  HEARTBEAT_HOST: 'host',
  HEARTBEAT_UDP_PORT: 'udpPort',
  HEARTBEAT_TCP_PORT: 'tcpPort',
  HEARTBEAT_HTTP_PORT: 'httpPort',
  HEARTBEAT_DATA: 'dataPath',
  HEARTBEAT_DETECTOR: 'detector',
  HEARTBEAT_INTERVAL_MS: 'defaultIntervalMs',
  HEARTBEAT_DEAD_AFTER_MS: 'deadAfterMs',
  HEARTBEAT_STARTUP_GRACE_MS: 'startupGraceMs',
  HEARTBEAT_RECORD: 'recordPath',
  HEARTBEAT_KEY_FILE: 'keyFile',
  HEARTBEAT_TOKEN_FILE: 'tokenFile',
  HEARTBEAT_REQUIRE_AUTH: 'requireAuth',
  HEARTBEAT_ALLOWED_HOSTS: 'allowedHosts',
};

/** Every variable read, for documentation and `--help`. */
export const ENV_VARIABLES: readonly string[] = [
  'HEARTBEAT_CONFIG',
  ...Object.keys(TOP_LEVEL),
  'HEARTBEAT_PAUSE_TOLERANCE_MS',
  'HEARTBEAT_PAUSE_GRACE_MS',
  'HEARTBEAT_WEBHOOK',
];

/** The config file to read when the caller names none. */
export const ENV_CONFIG_FILE = 'HEARTBEAT_CONFIG';

/**
 * Reads the variables into a layer. Errors name the variable: `HEARTBEAT_UDP_PORT must be an
 * integer 0–65535, got "x"`.
 */
export function parseEnv(env: Record<string, string | undefined>): ConfigLayer {
  const read = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw;
  };
  const layer: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(TOP_LEVEL)) {
    const raw = read(name);
    if (raw !== undefined) layer[field] = FIELD_PARSERS[field](raw, name);
  }

  const tolerance = read('HEARTBEAT_PAUSE_TOLERANCE_MS');
  const grace = read('HEARTBEAT_PAUSE_GRACE_MS');
  if (tolerance !== undefined || grace !== undefined) {
    const pauseGuard: Record<string, number> = {};
    if (tolerance !== undefined) {
      pauseGuard['toleranceMs'] = durationMs(tolerance, 'HEARTBEAT_PAUSE_TOLERANCE_MS', 1);
    }
    if (grace !== undefined)
      pauseGuard['graceMs'] = durationMs(grace, 'HEARTBEAT_PAUSE_GRACE_MS', 0);
    layer['pauseGuard'] = pauseGuard;
  }

  const webhooks = read('HEARTBEAT_WEBHOOK');
  if (webhooks !== undefined) {
    // Several URLs are separated by commas or spaces.
    const urls = webhooks.split(/[\s,]+/).filter((url) => url !== '');
    layer['actions'] = { webhooks: urls.map((url) => httpUrl(url, 'HEARTBEAT_WEBHOOK')) };
  }
  return layer as ConfigLayer;
}
