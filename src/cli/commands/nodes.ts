/**
 * `heartbeat nodes`: every node the monitor knows (or those the filters take), as a table or JSON,
 * sorted by id. It walks GET /v1/nodes page by page with its cursor, so a table of millions is
 * read in bounded requests.
 */
import type { NodeSnapshot } from '../../membership/types.js';
import { API_FLAGS, API_FLAGS_HELP, apiTarget, getAllNodes } from '../api-client.js';
import type { Command } from '../command.js';
import { parseFlags, stateFlag, type CliIo } from '../usage.js';

const help = `Usage: heartbeat nodes [--url URL] [--token-file FILE] [--state STATE] [--tag TAG] [--prefix P] [--json]

Lists the nodes with their state, time since the last heartbeat, suspicion and address.

Flags:
${API_FLAGS_HELP}
  --state STATE      only nodes in this state (unknown, alive, suspect, dead, left)
  --tag TAG          only nodes with this tag
  --prefix P         only nodes whose id starts with P
  --json             print JSON
  --help             this text`;

export function formatNodes(nodes: NodeSnapshot[]): string {
  const rows = nodes.map((n) => [
    n.id,
    n.state,
    n.sinceLastMs === null ? '-' : `${(n.sinceLastMs / 1000).toFixed(1)} s`,
    n.suspicion.toFixed(2),
    n.address ?? '-',
    String(n.lost),
  ]);
  const header = ['NODE', 'STATE', 'LAST', 'SUSPICION', 'ADDRESS', 'LOST'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

async function run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseFlags<{
    url?: string;
    token?: string;
    'token-file'?: string;
    json?: boolean;
    state?: string;
    tag?: string;
    prefix?: string;
  }>('nodes', argv, {
    ...API_FLAGS,
    json: { type: 'boolean' },
    state: { type: 'string' },
    tag: { type: 'string' },
    prefix: { type: 'string' },
  });
  const state = stateFlag('state', values.state);
  const target = apiTarget(values, env);
  const filters = new URLSearchParams();
  if (state !== undefined) filters.set('state', state);
  if (values.tag !== undefined) filters.set('tag', values.tag);
  if (values.prefix !== undefined) filters.set('prefix', values.prefix);
  const nodes = await getAllNodes(target, filters);
  io.out(values.json === true ? JSON.stringify(nodes, null, 2) : formatNodes(nodes));
  return 0;
}

export const command: Command = {
  name: 'nodes',

  help,
  run,
};
