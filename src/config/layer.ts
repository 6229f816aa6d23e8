/**
 * One source of configuration (a file, the environment, flags) checked field by field into a
 * `ConfigLayer`: the fields it sets, validated, and nothing else. load.ts stacks the layers.
 */
import { MAX_ACTIONS, MAX_NODE_GROUPS } from '../core/limits.js';
import type { DetectorSpec } from '../detectors/spec.js';
import { NODE_STATES, type NodeState } from '../membership/types.js';
import {
  boolean,
  detector,
  durationMs,
  fail,
  FieldProblem,
  host,
  hostPatterns,
  httpUrl,
  isRecord,
  nonEmptyString,
  noUnknownKeys,
  oneOf,
  optionalPath,
  origins,
  port,
  stringList,
} from './fields.js';
import { PRESET_NAMES } from './presets.js';
import type {
  ActionConfig,
  MonitorConfig,
  NodeGroup,
  PauseGuardConfig,
  PresetName,
  RetentionConfig,
} from './types.js';

/**
 * What a caller may pass (flags, a library user): any subset of MonitorConfig, nested objects
 * partial too, plus `preset`. The detector may also be a kind name or a JSON string.
 */
export interface MonitorConfigInput {
  preset?: PresetName;
  host?: string;
  udpPort?: number | null;
  tcpPort?: number | null;
  httpPort?: number | null;
  dataPath?: string;
  defaultIntervalMs?: number;
  detector?: DetectorSpec | string;
  groups?: NodeGroup[];
  deadAfterMs?: number;
  startupGraceMs?: number;
  pauseGuard?: Partial<PauseGuardConfig>;
  actions?: Partial<ActionConfig>;
  recordPath?: string | null;
  retention?: Partial<RetentionConfig>;
  keyFile?: string | null;
  maxClockSkewMs?: number;
  tokenFile?: string | null;
  requireAuth?: boolean;
  allowedHosts?: string[];
  corsOrigins?: string[];
}

/** A validated source: the fields it sets. */
export type ConfigLayer = Partial<Omit<MonitorConfig, 'pauseGuard' | 'actions' | 'retention'>> & {
  pauseGuard?: Partial<PauseGuardConfig>;
  actions?: Partial<ActionConfig>;
  retention?: Partial<RetentionConfig>;
};

type FieldParser = (value: unknown, label: string) => unknown;

/** Top-level fields and their checks; the keys are also the names accepted in files. */
export const FIELD_PARSERS: Record<keyof MonitorConfig, FieldParser> = {
  host,
  udpPort: port,
  tcpPort: port,
  httpPort: port,
  dataPath: nonEmptyString,
  preset: (v, label) => oneOf(v, label, PRESET_NAMES),
  // At least 1 ms: the clock's resolution; a zero interval would divide by zero in detectors.
  defaultIntervalMs: (v, label) => durationMs(v, label, 1),
  detector,
  groups,
  deadAfterMs: (v, label) => durationMs(v, label, 0),
  startupGraceMs: (v, label) => durationMs(v, label, 0),
  pauseGuard,
  actions,
  recordPath: optionalPath,
  retention,
  keyFile: optionalPath,
  // At least 1 s: clocks kept by NTP agree to milliseconds, and a tighter bound refuses jitter.
  maxClockSkewMs: (v, label) => durationMs(v, label, 1000),
  tokenFile: optionalPath,
  requireAuth: boolean,
  allowedHosts: hostPatterns,
  corsOrigins: origins,
};

const FIELD_NAMES = Object.keys(FIELD_PARSERS);

/** Checks a whole object (a config file's top level, flags); unknown fields are errors. */
export function parseLayer(input: unknown, label = ''): ConfigLayer {
  if (!isRecord(input)) fail(label || 'the configuration', 'a mapping of options', input);
  noUnknownKeys(input, FIELD_NAMES, label);
  const layer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    layer[key] = FIELD_PARSERS[key as keyof MonitorConfig](value, `${label}${key}`);
  }
  return layer as ConfigLayer;
}

function pauseGuard(value: unknown, label: string): Partial<PauseGuardConfig> {
  if (!isRecord(value)) fail(label, 'a mapping with toleranceMs and/or graceMs', value);
  noUnknownKeys(value, ['toleranceMs', 'graceMs'], `${label}.`);
  const out: Partial<PauseGuardConfig> = {};
  // At least 1 ms: a zero tolerance would call every timer a stall.
  if (value['toleranceMs'] !== undefined) {
    out.toleranceMs = durationMs(value['toleranceMs'], `${label}.toleranceMs`, 1);
  }
  if (value['graceMs'] !== undefined) {
    out.graceMs = durationMs(value['graceMs'], `${label}.graceMs`, 0);
  }
  return out;
}

/** Ten years: retention is counted in days and months, past the one-day bound of timings. */
const MAX_RETENTION_MS = 10 * 366 * 24 * 3_600_000;

function retention(value: unknown, label: string): Partial<RetentionConfig> {
  if (!isRecord(value)) {
    fail(label, 'a mapping with forgetAfterMs, historyMaxAgeMs and/or historyMaxRows', value);
  }
  noUnknownKeys(value, ['forgetAfterMs', 'historyMaxAgeMs', 'historyMaxRows'], `${label}.`);
  const out: Partial<RetentionConfig> = {};
  const ms = (key: 'forgetAfterMs' | 'historyMaxAgeMs'): void => {
    const v = value[key];
    if (v === undefined) return;
    if (v === null || v === 'off') {
      out[key] = null;
      return;
    }
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 1 || n > MAX_RETENTION_MS) {
      fail(`${label}.${key}`, `off or a number of milliseconds from 1 to ${MAX_RETENTION_MS}`, v);
    }
    out[key] = n;
  };
  ms('forgetAfterMs');
  ms('historyMaxAgeMs');
  const rows = value['historyMaxRows'];
  if (rows !== undefined) {
    if (rows === null || rows === 'off') out.historyMaxRows = null;
    else if (typeof rows === 'number' && Number.isSafeInteger(rows) && rows >= 1) {
      out.historyMaxRows = rows;
    } else fail(`${label}.historyMaxRows`, 'off or a whole number of at least 1', rows);
  }
  return out;
}

function groups(value: unknown, label: string): NodeGroup[] {
  if (!Array.isArray(value)) fail(label, 'a list of groups', value);
  if (value.length > MAX_NODE_GROUPS) {
    throw new FieldProblem(`${label} has ${value.length} groups; at most ${MAX_NODE_GROUPS}`);
  }
  const names = new Set<string>();
  return value.map((item, i) => {
    const at = `${label}[${i}]`;
    if (!isRecord(item)) fail(at, 'a mapping with name and detector', item);
    noUnknownKeys(item, ['name', 'tags', 'idPrefix', 'detector', 'allowUnauthenticated'], `${at}.`);
    const group: NodeGroup = { name: nonEmptyString(item['name'], `${at}.name`) };
    if (item['detector'] !== undefined) {
      group.detector = detector(item['detector'], `${at}.detector`);
    }
    const allow = item['allowUnauthenticated'];
    if (allow !== undefined) {
      if (typeof allow !== 'boolean') fail(`${at}.allowUnauthenticated`, 'true or false', allow);
      group.allowUnauthenticated = allow;
    }
    if (group.detector === undefined && group.allowUnauthenticated === undefined) {
      throw new FieldProblem(`${at} sets neither detector nor allowUnauthenticated`);
    }
    if (names.has(group.name)) {
      throw new FieldProblem(`${at}.name ${JSON.stringify(group.name)} is used by another group`);
    }
    names.add(group.name);
    if (item['tags'] !== undefined) group.tags = stringList(item['tags'], `${at}.tags`);
    if (item['idPrefix'] !== undefined) {
      group.idPrefix = nonEmptyString(item['idPrefix'], `${at}.idPrefix`);
    }
    return group;
  });
}

function actions(value: unknown, label: string): Partial<ActionConfig> {
  if (!isRecord(value)) fail(label, 'a mapping with on and/or webhooks', value);
  noUnknownKeys(value, ['on', 'webhooks', 'webhookAllow'], `${label}.`);
  const out: Partial<ActionConfig> = {};
  if (value['on'] !== undefined) {
    const on = value['on'];
    if (!Array.isArray(on)) fail(`${label}.on`, 'a list of { state, command }', on);
    out.on = on.map((rule, i) => {
      const at = `${label}.on[${i}]`;
      if (!isRecord(rule)) fail(at, 'a mapping with state and command', rule);
      noUnknownKeys(rule, ['state', 'command'], `${at}.`);
      return {
        state: oneOf<NodeState>(rule['state'], `${at}.state`, NODE_STATES),
        command: nonEmptyString(rule['command'], `${at}.command`),
      };
    });
  }
  if (value['webhooks'] !== undefined) {
    // A single URL is accepted as a list of one.
    const raw = typeof value['webhooks'] === 'string' ? [value['webhooks']] : value['webhooks'];
    if (!Array.isArray(raw)) fail(`${label}.webhooks`, 'a list of URLs', raw);
    out.webhooks = raw.map((url, i) => httpUrl(url, `${label}.webhooks[${i}]`));
  }
  if (value['webhookAllow'] !== undefined) {
    out.webhookAllow = stringList(value['webhookAllow'], `${label}.webhookAllow`);
  }
  const count = (out.on?.length ?? 0) + (out.webhooks?.length ?? 0);
  if (count > MAX_ACTIONS) {
    throw new FieldProblem(`${label} has ${count} commands and webhooks; at most ${MAX_ACTIONS}`);
  }
  return out;
}
