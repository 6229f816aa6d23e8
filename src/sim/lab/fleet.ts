import { ConfigError } from '../../core/errors.js';
import { concatTraces, type ArrivalTrace } from '../traces/arrival-trace.js';

/**
 * What the tuner tunes on when a source holds several traces. A monitor recording holds one trace
 * per node and incarnation, and the monitor applies one detector configuration to all of them, so
 * the traces are pooled into one node population: joined end to end (`concatTraces`), mistakes
 * per hour become mistakes per node-hour, and the detection time is the mean over every crash
 * point of every node. Only traces with the same sending interval are pooled (a detector's
 * parameters mean different things at different intervals); the largest such group is taken.
 */
export interface Fleet {
  /** The pooled trace (the only member itself when there is one). */
  trace: ArrivalTrace;
  /** The traces pooled into it. */
  members: readonly ArrivalTrace[];
  /** Traces left out because their interval differs from the members'. */
  leftOut: readonly ArrivalTrace[];
}

/** The node a recorded trace belongs to (`file#node/incarnation`), or undefined for other traces. */
export function nodeOfTrace(name: string): string | undefined {
  const hash = name.lastIndexOf('#');
  if (hash < 0) return undefined;
  const slash = name.lastIndexOf('/');
  return slash > hash ? name.slice(hash + 1, slash) : name.slice(hash + 1);
}

/**
 * Picks the traces to tune on: those of `node` (every incarnation of a recorded node, or the
 * trace of that name) when given, else the largest group sharing one interval.
 * @throws ConfigError when `node` names no trace
 */
export function pickFleet(traces: readonly ArrivalTrace[], node?: string): Fleet {
  const chosen =
    node === undefined
      ? traces
      : traces.filter((t) => t.name === node || nodeOfTrace(t.name) === node);
  if (chosen.length === 0) {
    const names = [...new Set(traces.map((t) => nodeOfTrace(t.name) ?? t.name))];
    const listed = names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '');
    throw new ConfigError(`no trace of node ${node ?? ''} (there are: ${listed})`);
  }
  const groups = new Map<number, ArrivalTrace[]>();
  for (const t of chosen) {
    const group = groups.get(t.intervalMs);
    if (group === undefined) groups.set(t.intervalMs, [t]);
    else group.push(t);
  }
  let members: ArrivalTrace[] = [];
  let most = -1;
  for (const group of groups.values()) {
    const arrivals = group.reduce((n, t) => n + t.arrivals.length, 0);
    if (arrivals > most) {
      members = group;
      most = arrivals;
    }
  }
  const pooled = new Set(members);
  const leftOut = chosen.filter((t) => !pooled.has(t));
  const trace = members.length === 1 ? (members[0] as ArrivalTrace) : pool(members);
  return { trace, members, leftOut };
}

/**
 * The lab's view of its inputs: the traces of each monitor recording that share an interval are
 * pooled into one node population, as the tuner does (`pickFleet`); other traces stay as they are.
 */
export function poolRecordings(traces: readonly ArrivalTrace[]): ArrivalTrace[] {
  const groups = new Map<string, ArrivalTrace[]>();
  const order: (ArrivalTrace | string)[] = [];
  for (const t of traces) {
    if (nodeOfTrace(t.name) === undefined) {
      order.push(t);
      continue;
    }
    const key = `${sourceOfTrace(t.name)}\u0000${t.intervalMs}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [t]);
      order.push(key);
    } else group.push(t);
  }
  return order.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const group = groups.get(entry) as ArrivalTrace[];
    return group.length === 1 ? (group[0] as ArrivalTrace) : pool(group);
  });
}

/** The file a recorded trace came from (`file#node/incarnation`), or the whole name. */
function sourceOfTrace(name: string): string {
  const hash = name.lastIndexOf('#');
  return hash < 0 ? name : name.slice(0, hash);
}

/** Joins traces end to end under a name that says what was pooled. */
function pool(members: readonly ArrivalTrace[]): ArrivalTrace {
  const first = members[0] as ArrivalTrace;
  const source = sourceOfTrace(first.name);
  const oneSource = members.every((t) => sourceOfTrace(t.name) === source);
  const name = oneSource
    ? `${source} (${members.length} traces pooled)`
    : `${members.length} traces pooled (${first.name}, …)`;
  return concatTraces(name, members);
}
