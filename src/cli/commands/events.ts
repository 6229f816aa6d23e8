/**
 * `heartbeat events`: the transition history (paged, filterable), or with `--follow` the live
 * stream (Server-Sent Events) until Ctrl-C, reconnecting across restarts of the monitor without
 * losing or repeating a transition (event-follower.ts).
 */
import { API_FLAGS, API_FLAGS_HELP, apiTarget, getJson } from '../api-client.js';
import { followEvents } from '../event-follower.js';
import type { Command } from '../command.js';
import { intFlag, parseFlags, stateFlag, type CliIo } from '../usage.js';

const help = `Usage: heartbeat events [--node ID] [--state STATE] [--limit N] [--follow] [--json]

Prints transitions, newest first (or, with --follow, each new one as it happens).

Flags:
${API_FLAGS_HELP}
  --node ID          only this node
  --state STATE      only transitions into this state
  --limit N          at most N transitions (default 50)
  --follow           stream new transitions until interrupted; when the monitor restarts,
                     reconnect (250 ms, doubling to 10 s) and resume after the last one printed
  --count N          with --follow: stop after N transitions (e.g. wait for the next failure)
  --json             one JSON document per line
  --help             this text`;

/** A transition as the API returns it (history rows and stream events alike). */
export interface EventRow {
  nodeId: string;
  from: string;
  to: string;
  reason: string;
  wallMs: number;
  detectionMs?: number | null;
}

export function formatEvent(e: EventRow): string {
  const time = new Date(e.wallMs).toISOString().replace('T', ' ').slice(0, 23);
  const detection =
    e.detectionMs != null ? ` detected after ${(e.detectionMs / 1000).toFixed(2)} s` : '';
  return `${time}  ${e.nodeId}  ${e.from} → ${e.to}  (${e.reason})${detection}`;
}

async function run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseFlags<{
    url?: string;
    token?: string;
    'token-file'?: string;
    node?: string;
    state?: string;
    limit?: string;
    count?: string;
    follow?: boolean;
    json?: boolean;
  }>('events', argv, {
    ...API_FLAGS,
    node: { type: 'string' },
    state: { type: 'string' },
    limit: { type: 'string' },
    follow: { type: 'boolean' },
    count: { type: 'string' },
    json: { type: 'boolean' },
  });
  const state = stateFlag('state', values.state);
  const target = apiTarget(values, env);
  const query = new URLSearchParams();
  if (values.node !== undefined) query.set('node', values.node);
  if (state !== undefined) query.set('state', state);
  if (values.follow === true) {
    const count = intFlag('count', values.count, 1, Number.MAX_SAFE_INTEGER) ?? Infinity;
    const json = values.json === true;
    return followEvents({
      target,
      query,
      io,
      count,
      print: ({ data }) => io.out(json ? data : formatEvent(JSON.parse(data) as EventRow)),
    });
  }
  query.set('limit', String(intFlag('limit', values.limit, 1, 1000) ?? 50));
  const { events } = await getJson<{ events: EventRow[] }>(target, `/v1/events?${query}`);
  for (const e of events) io.out(values.json === true ? JSON.stringify(e) : formatEvent(e));
  return 0;
}

export const command: Command = {
  name: 'events',

  help,
  run,
};
