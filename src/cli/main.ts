/**
 * `heartbeat <command> …`: dispatches to one command, prints its `--help`, and turns whatever it
 * throws into one clear line and an exit status (exit-codes.ts). Every command is one module,
 * src/cli/commands/<name>.ts, exporting `command` (name, help, run), loaded only when it runs,
 * and reading its argv with the one parser, `parseFlags` (usage.ts).
 */
import { createRequire } from 'node:module';
import type { Command } from './command.js';
import { exitCodeFor } from './exit-codes.js';
import type { CliIo } from './usage.js';

/** A command module: src/cli/commands/<name>.ts, exporting its `command`. */
type CommandModule = { command: Command };

/**
 * The commands, each module loaded only when it runs: `heartbeat agent` must start fast and small
 * without loading SQLite, the HTTP API or the lab.
 */
const COMMANDS: { name: string; summary: string; load: () => Promise<CommandModule> }[] = [
  {
    name: 'monitor',
    summary: 'run the monitor daemon (UDP, TCP and HTTP listeners, API, history)',
    load: () => import('./commands/monitor.js'),
  },
  {
    name: 'agent',
    summary: 'send heartbeats for this node to one or more monitors',
    load: () => import('./commands/agent.js'),
  },
  {
    name: 'status',
    summary: 'is this node alive? (exit 0 yes, 1 no, 3 no monitor) — for scripts and checks',
    load: () => import('./commands/status.js'),
  },
  {
    name: 'nodes',
    summary: 'list the nodes a monitor knows, with state and last heartbeat',
    load: () => import('./commands/nodes.js'),
  },
  {
    name: 'events',
    summary: 'transition history, or the live stream with --follow',
    load: () => import('./commands/events.js'),
  },
  {
    name: 'demo',
    summary: 'a monitor and five agents on loopback: crash, hang and graceful stop, live',
    load: () => import('./commands/demo.js'),
  },
  {
    name: 'sim',
    summary:
      'run a simulated scenario (delay, loss, pauses, crashes, partitions) through a detector',
    load: () => import('./commands/sim.js'),
  },
  {
    name: 'lab',
    summary: 'compare detectors on traces and scenarios (detection time vs mistakes)',
    load: () => import('./commands/lab.js'),
  },
  {
    name: 'tune',
    summary: 'recommend a detector and its parameters for a recorded trace or ping log',
    load: () => import('./commands/tune.js'),
  },
];

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function version(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      return (require(candidate) as { version: string }).version;
    } catch {
      // not at this depth (src/cli vs dist/cli)
    }
  }
  return 'unknown';
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'heartbeat — failure detection for distributed systems',
    '',
    'Usage: heartbeat <command> [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `heartbeat <command> --help` for the flags of one command.',
    'Exit status: 0 ok, 1 check failed, 2 bad usage or configuration, 3 monitor unreachable (status).',
  ].join('\n');
}

export async function main(
  argv: string[],
  io: CliIo = defaultIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    io.err(
      `heartbeat: unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
    );
    return 2;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io, env);
  } catch (error) {
    io.err(`heartbeat ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return command.exitCodeFor?.(error) ?? exitCodeFor(error);
  }
}
