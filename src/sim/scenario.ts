/**
 * A simulation scenario: plain data, written by a user as a JSON or YAML file (see
 * docs/SIMULATOR.md and the standard set in src/sim/scenarios/), validated by `parseScenario`
 * into this shape with every default filled in. Times are ms of simulated time from the start.
 */
import { ConfigError } from '../core/errors.js';
import { MAX_NODES } from '../core/limits.js';
import { parseDetectorSpec } from '../detectors/registry.js';
import type { DetectorSpec } from '../detectors/spec.js';
import { parseDistribution, type DistributionSpec } from './distribution.js';
import { Fields } from './fields.js';
import { parseLoss, type LossSpec } from './loss-model.js';

/** Stop-the-world pauses: random (`everyMs` = mean time between pauses) or at given times. */
export type PauseSpec =
  | { everyMs: number; durationMs: DistributionSpec }
  | { at: { atMs: number; durationMs: number }[] };

export interface PartitionSpec {
  startMs: number;
  durationMs: number;
  /**
   * The partition recurs every `everyMs` from `startMs` (for `durationMs` each time) until the
   * scenario ends: a link that drops out on a schedule, like a satellite handover. @default once
   */
  everyMs?: number;
  /** How many nodes (the first ones) are cut off from the monitor. @default all */
  nodes?: number;
}

export interface CrashSpec {
  atMs: number;
  /** How many nodes (the first ones) crash. @default 1 */
  nodes?: number;
}

export interface MonitorSpec {
  /** @default { kind: 'phi-accrual' }, the node table's default */
  detector?: DetectorSpec;
  deadAfterMs?: number;
  startupGraceMs?: number;
  pauseToleranceMs?: number;
  pauseGraceMs?: number;
}

export interface Scenario {
  name: string;
  description?: string;
  /** Simulated time. */
  durationMs: number;
  /** Senders. @default 1 */
  nodes: number;
  /** Heartbeat interval of every sender. @default 1000 */
  intervalMs: number;
  /** Each interval is drawn from `intervalMs · (1 ± jitterRatio)`, like the agent. @default 0 */
  jitterRatio: number;
  /** One-way delay of each heartbeat. @default constant 1 ms */
  delay: DistributionSpec;
  /** @default none */
  loss: LossSpec;
  /** Sender stop-the-world pauses (GC, SIGSTOP): no heartbeat leaves during one. */
  senderPauses?: PauseSpec;
  /** Monitor stalls: nothing is read and no timer runs during one. */
  monitorPauses?: PauseSpec;
  /** Each sender's clock runs fast or slow by up to this many parts per million. @default 0 */
  clockDriftPpm: number;
  crash?: CrashSpec;
  partitions: PartitionSpec[];
  monitor: MonitorSpec;
}

const SCENARIO_KEYS = [
  'name',
  'description',
  'durationMs',
  'nodes',
  'intervalMs',
  'jitterRatio',
  'delay',
  'loss',
  'senderPauses',
  'monitorPauses',
  'clockDriftPpm',
  'crash',
  'partitions',
  'monitor',
] as const;

export interface ParseScenarioOptions {
  /** Names the input in errors (a file path). @default 'scenario' */
  source?: string;
  /** Resolves paths inside the scenario (an empirical delay's trace). @default as given */
  resolvePath?: (p: string) => string;
}

/** Validates plain data into a Scenario; a bad field is a one-line ConfigError naming it. */
export function parseScenario(input: unknown, options: ParseScenarioOptions = {}): Scenario {
  const f: Fields = new Fields(options.source ?? 'scenario');
  const o = f.object(input, 'scenario');
  f.onlyKeys(o, 'scenario', SCENARIO_KEYS);
  const p = 'scenario';
  const durationMs = f.number(o, 'durationMs', p, 'positive');
  const nodes = f.number(o, 'nodes', p, 'positive-integer', 1);
  if (nodes > MAX_NODES) f.fail(`${p}.nodes`, `must be at most MAX_NODES (${MAX_NODES})`, nodes);
  const intervalMs = f.number(o, 'intervalMs', p, 'positive', 1000);
  const jitterRatio = f.number(o, 'jitterRatio', p, 'non-negative', 0);
  if (jitterRatio > 0.5) f.fail(`${p}.jitterRatio`, 'must be at most 0.5', jitterRatio);
  const scenario: Scenario = {
    name: f.string(o, 'name', p),
    durationMs,
    nodes,
    intervalMs,
    jitterRatio,
    delay:
      o.delay === undefined
        ? { kind: 'constant', ms: 1 }
        : parseDistribution(o.delay, `${p}.delay`, f, options.resolvePath),
    loss: parseLoss(o.loss, `${p}.loss`, f),
    clockDriftPpm: f.number(o, 'clockDriftPpm', p, 'non-negative', 0),
    partitions: [],
    monitor: {},
  };
  if (o.description !== undefined) scenario.description = f.string(o, 'description', p);
  if (scenario.clockDriftPpm >= 1e6)
    f.fail(`${p}.clockDriftPpm`, 'must be below 1 000 000', scenario.clockDriftPpm);
  if (o.senderPauses !== undefined)
    scenario.senderPauses = parsePauses(o.senderPauses, `${p}.senderPauses`, f, options);
  if (o.monitorPauses !== undefined)
    scenario.monitorPauses = parsePauses(o.monitorPauses, `${p}.monitorPauses`, f, options);
  if (o.crash !== undefined) {
    const c = f.object(o.crash, `${p}.crash`);
    f.onlyKeys(c, `${p}.crash`, ['atMs', 'nodes']);
    scenario.crash = { atMs: f.number(c, 'atMs', `${p}.crash`, 'non-negative') };
    const n = f.optionalNumber(c, 'nodes', `${p}.crash`, 'positive-integer');
    if (n !== undefined) {
      if (n > nodes) f.fail(`${p}.crash.nodes`, `must be at most scenario.nodes (${nodes})`, n);
      scenario.crash.nodes = n;
    }
  }
  if (o.partitions !== undefined) {
    const list: unknown = o.partitions;
    if (!Array.isArray(list)) f.fail(`${p}.partitions`, 'must be a list', list);
    scenario.partitions = list.map((raw: unknown, i: number) => {
      const where = `${p}.partitions[${i}]`;
      const q = f.object(raw, where);
      f.onlyKeys(q, where, ['startMs', 'durationMs', 'everyMs', 'nodes']);
      const part: PartitionSpec = {
        startMs: f.number(q, 'startMs', where, 'non-negative'),
        durationMs: f.number(q, 'durationMs', where, 'positive'),
      };
      const every = f.optionalNumber(q, 'everyMs', where, 'positive');
      if (every !== undefined) {
        if (every <= part.durationMs)
          f.fail(`${where}.everyMs`, `must be longer than durationMs (${part.durationMs})`, every);
        part.everyMs = every;
      }
      const n = f.optionalNumber(q, 'nodes', where, 'positive-integer');
      if (n !== undefined) {
        if (n > nodes) f.fail(`${where}.nodes`, `must be at most scenario.nodes (${nodes})`, n);
        part.nodes = n;
      }
      return part;
    });
  }
  if (o.monitor !== undefined) scenario.monitor = parseMonitor(o.monitor, `${p}.monitor`, f);
  return scenario;
}

function parsePauses(
  value: unknown,
  path: string,
  f: Fields,
  options: ParseScenarioOptions,
): PauseSpec {
  const o = f.object(value, path);
  if (o.at !== undefined) {
    f.onlyKeys(o, path, ['at']);
    const list: unknown = o.at;
    if (!Array.isArray(list)) f.fail(`${path}.at`, 'must be a list of { atMs, durationMs }', list);
    const at = list.map((raw: unknown, i: number) => {
      const where = `${path}.at[${i}]`;
      const q = f.object(raw, where);
      f.onlyKeys(q, where, ['atMs', 'durationMs']);
      return {
        atMs: f.number(q, 'atMs', where, 'non-negative'),
        durationMs: f.number(q, 'durationMs', where, 'positive'),
      };
    });
    at.sort((a, b) => a.atMs - b.atMs);
    return { at };
  }
  f.onlyKeys(o, path, ['everyMs', 'durationMs']);
  if (o.durationMs === undefined) f.fail(`${path}.durationMs`, 'is required');
  return {
    everyMs: f.number(o, 'everyMs', path, 'positive'),
    durationMs: parseDistribution(o.durationMs, `${path}.durationMs`, f, options.resolvePath),
  };
}

function parseMonitor(value: unknown, path: string, f: Fields): MonitorSpec {
  const o = f.object(value, path);
  f.onlyKeys(o, path, [
    'detector',
    'deadAfterMs',
    'startupGraceMs',
    'pauseToleranceMs',
    'pauseGraceMs',
  ]);
  const m: MonitorSpec = {};
  if (o.detector !== undefined) {
    try {
      m.detector = parseDetectorSpec(o.detector, `${path}.detector`);
    } catch (error) {
      if (error instanceof ConfigError) f.rethrow(error);
      throw error;
    }
  }
  for (const key of [
    'deadAfterMs',
    'startupGraceMs',
    'pauseToleranceMs',
    'pauseGraceMs',
  ] as const) {
    const v = f.optionalNumber(o, key, path, 'non-negative');
    if (v !== undefined) m[key] = v;
  }
  return m;
}
