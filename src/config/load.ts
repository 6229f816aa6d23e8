/**
 * Builds the monitor's configuration from its sources. Later sources win, field by field:
 *
 *   defaults < preset < config file < environment < overrides (flags, library callers)
 *
 * The preset is chosen first (the highest source that names one, else `lan`), because it is the
 * base the other sources change. Nested mappings (`pauseGuard`, `actions`, `retention`) merge field by field;
 * lists (`groups`, `actions.on`, `actions.webhooks`) and the detector are replaced whole, since
 * half of one detector's options over another's kind means nothing.
 *
 * Every problem is a ConfigError with one line naming the source and the field:
 * `config file ./hb.yaml: udpPort must be an integer 0–65535, got "x"`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { MAX_ACTIONS } from '../core/limits.js';
import { ENV_CONFIG_FILE, parseEnv } from './env.js';
import { FieldProblem, firstLine, forbiddenWebhookHost } from './fields.js';
import { parseLayer, type ConfigLayer, type MonitorConfigInput } from './layer.js';
import { DEFAULT_PRESET, DEFAULTS, PRESETS } from './presets.js';
import type { MonitorConfig } from './types.js';

export type { MonitorConfigInput } from './layer.js';

export interface LoadInput {
  /** A `.json`, `.yaml` or `.yml` file. @default $HEARTBEAT_CONFIG, else no file */
  file?: string;
  /** Environment variables (pass `process.env`). @default none are read */
  env?: Record<string, string | undefined>;
  /** The highest-precedence values: what command-line flags produce. */
  overrides?: MonitorConfigInput;
  /** How errors in `overrides` name their source. @default 'options' */
  overridesSource?: string;
}

export function loadMonitorConfig(input: LoadInput = {}): MonitorConfig {
  const env = input.env ?? {};
  const envFile = env[ENV_CONFIG_FILE];
  const file = input.file ?? (envFile !== undefined && envFile.trim() !== '' ? envFile : undefined);

  const layers: ConfigLayer[] = [];
  if (file !== undefined) {
    const source = `config file ${file}`;
    layers.push(fromSource(source, () => parseLayer(readConfigFile(file, source))));
  }
  layers.push(fromSource('environment', () => parseEnv(env)));
  if (input.overrides !== undefined) {
    layers.push(fromSource(input.overridesSource ?? 'options', () => parseLayer(input.overrides)));
  }

  let preset = DEFAULT_PRESET;
  for (const layer of layers) preset = layer.preset ?? preset;
  let config: MonitorConfig = structuredClone({ ...DEFAULTS, ...PRESETS[preset], preset });
  for (const layer of layers) config = merge(config, layer);
  checkWhole(config);
  return config;
}

/** Runs a source's parser, turning a field problem into a ConfigError that names the source. */
function fromSource(source: string, parse: () => ConfigLayer): ConfigLayer {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FieldProblem) {
      throw new ConfigError(`${source}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function merge(base: MonitorConfig, layer: ConfigLayer): MonitorConfig {
  const { pauseGuard, actions, retention, ...flat } = layer;
  return {
    ...base,
    ...flat,
    pauseGuard: { ...base.pauseGuard, ...pauseGuard },
    actions: { ...base.actions, ...actions },
    retention: { ...base.retention, ...retention },
  };
}

/** Rules across fields, checked on the merged result. */
function checkWhole(config: MonitorConfig): void {
  const { tcpPort, httpPort } = config;
  if (tcpPort !== null && tcpPort !== 0 && tcpPort === httpPort) {
    throw new ConfigError(
      `configuration: tcpPort and httpPort are both ${tcpPort}; TCP heartbeats and HTTP need different ports`,
    );
  }
  const allow = new Set((config.actions.webhookAllow ?? []).map((h) => h.toLowerCase()));
  for (const url of config.actions.webhooks) {
    const why = forbiddenWebhookHost(url);
    const host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
    if (why !== undefined && !allow.has(host)) {
      throw new ConfigError(
        `configuration: webhook ${url} points at ${why}; list its host in actions.webhookAllow to allow it`,
      );
    }
  }
  if (config.requireAuth && config.tokenFile === null) {
    throw new ConfigError(
      'configuration: requireAuth is set but there is no token file (--token-file, HEARTBEAT_TOKEN_FILE or tokenFile)',
    );
  }
  const count = config.actions.on.length + config.actions.webhooks.length;
  if (count > MAX_ACTIONS) {
    throw new ConfigError(
      `configuration: actions has ${count} commands and webhooks; at most ${MAX_ACTIONS}`,
    );
  }
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
};

/** Reads and parses a config file by its extension; the result is checked by parseLayer. */
function readConfigFile(file: string, source: string): unknown {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') {
    throw new ConfigError(
      `${source}: unsupported extension ${JSON.stringify(ext)}; use .json, .yaml or .yml`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const reason = READ_ERRORS[code] ?? firstLine(error);
    throw new ConfigError(`cannot read config file ${file}: ${reason}`, { cause: error });
  }
  if (ext === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ConfigError(`${source}: invalid JSON: ${firstLine(error)}`, { cause: error });
    }
  }
  const doc = parseDocument(text);
  const problem = doc.errors[0];
  if (problem !== undefined) {
    // The first line says what and where ("… at line 2, column 8:"); the rest is a code excerpt.
    const what = firstLine(problem).replace(/:$/, '');
    throw new ConfigError(`${source}: invalid YAML: ${what}`, { cause: problem });
  }
  // An empty file sets nothing.
  return doc.toJS() ?? {};
}
