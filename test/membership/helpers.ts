import type { Clock } from '../../src/core/clock.js';
import { NodeTable, type NodeTableOptions } from '../../src/membership/node-table.js';
import {
  TRANSITION_EVENT_NAMES,
  type NodeEvents,
  type NodeTransition,
} from '../../src/membership/types.js';

/** Options used by most tests: a 3 s fixed timeout at 1 s interval, easy to compute by hand. */
export const OPTIONS: NodeTableOptions = {
  detector: { kind: 'timeout', timeoutMs: 3000 },
  defaultIntervalMs: 1000,
  deadAfterMs: 10_000,
  startupGraceMs: 30_000,
  pauseToleranceMs: 500,
  pauseGraceMs: 2000,
};

export interface Recorded {
  event: keyof NodeEvents;
  t: NodeTransition;
}

/** A table plus a log of every `node:*` event in order. */
export function tableWithLog(clock: Clock, options: NodeTableOptions = OPTIONS) {
  const table = new NodeTable({ clock }, options);
  const log: Recorded[] = [];
  for (const event of TRANSITION_EVENT_NAMES) table.on(event, (t) => log.push({ event, t }));
  /** Events since the last call, as compact `event from→to reason` strings. */
  const take = (): string[] =>
    log
      .splice(0)
      .map(({ event, t }) => `${event} ${t.nodeId} ${t.from}→${t.to} ${t.reason} @${t.atMs}`);
  return { table, log, take };
}

export const hb = (
  nodeId: string,
  fields: { incarnation?: number; seq?: number; intervalMs?: number } = {},
) => ({
  type: 'heartbeat' as const,
  nodeId,
  ...fields,
});
