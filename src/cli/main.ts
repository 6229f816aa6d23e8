/**
 * `heartbeat <command> …`: dispatches to one command, turns errors into one clear line and an
 * exit status (0 ok, 1 check failed or runtime error, 2 bad usage or configuration).
 */
import { createRequire } from 'node:module';
import type { Command } from './command.js';
import { agentCommand } from './commands/agent.js';
import { demoCommand } from './commands/demo.js';
import { eventsCommand } from './commands/events.js';
import { labCommand, tuneCommand } from './commands/lab-commands.js';
import { monitorCommand } from './commands/monitor.js';
import { nodesCommand } from './commands/nodes.js';
import { statusCommand } from './commands/status.js';
import { exitCodeFor, type CliIo } from './usage.js';

const COMMANDS: Command[] = [
  monitorCommand,
  agentCommand,
  statusCommand,
  nodesCommand,
  eventsCommand,
  demoCommand,
  labCommand,
  tuneCommand,
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
    'Exit status: 0 ok, 1 check failed, 2 bad usage or configuration.',
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
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(
      `heartbeat: unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
    );
    return 2;
  }
  if (command.help !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io, env);
  } catch (error) {
    io.err(`heartbeat ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodeFor(error);
  }
}
