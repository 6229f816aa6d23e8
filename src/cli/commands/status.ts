/**
 * `heartbeat status [NODE]`: one line per node, for scripts and people. The exit status is the
 * check: 0 when the node (or, without a node, every node) is alive or left, 1 otherwise.
 */
import type { NodeSnapshot } from '../../membership/types.js';
import {
  API_FLAGS,
  API_FLAGS_HELP,
  apiTarget,
  getAllNodes,
  getJson,
  isUnreachable,
} from '../api-client.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseFlags, UsageError, type CliIo } from '../usage.js';

const help = `Usage: heartbeat status [NODE] [--url URL] [--json]

Prints "NODE: ALIVE, last heartbeat 1.2 s ago" (or FAILED, SUSPECT, …) for one node or all.
Exit status: 0 if healthy (alive or left), 1 if not (suspect, dead, never heard), 2 bad usage
or a token the monitor refuses, 3 the monitor could not be asked (not reachable, no answer in
time, or a 5xx answer).

Flags:
${API_FLAGS_HELP}
  --json             print the node(s) as JSON
  --help             this text`;

const HEALTHY = new Set(['alive', 'left']);

async function run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseFlags<{
    url?: string;
    token?: string;
    'token-file'?: string;
    json?: boolean;
  }>('status', argv, { ...API_FLAGS, json: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError('give at most one node id');
  const target = apiTarget(values, env);
  const id = positionals[0];
  const nodes =
    id === undefined
      ? await getAllNodes(target, new URLSearchParams())
      : [
          (await getJson<{ node: NodeSnapshot }>(target, `/v1/nodes/${encodeURIComponent(id)}`))
            .node,
        ];
  if (values.json === true) io.out(JSON.stringify(id === undefined ? nodes : nodes[0], null, 2));
  else for (const node of nodes) io.out(`${node.id}: ${node.status}`);
  return nodes.every((n) => HEALTHY.has(n.state)) ? 0 : 1;
}

export const command: Command = {
  name: 'status',

  help,
  run,
  exitCodeFor: (error) => (isUnreachable(error) ? EXIT.unreachable : undefined),
};
