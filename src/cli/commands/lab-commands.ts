/**
 * `heartbeat lab …` and `heartbeat tune …`: the detection-quality lab (see docs/LAB.md). Loaded
 * only when used, so the monitor and agent start without the lab's chart renderer.
 */
import type { Command } from '../command.js';
import type { CliIo } from '../usage.js';

type Runner = (argv: string[], io: CliIo) => Promise<number>;

export const labCommand: Command = {
  name: 'lab',

  run: async (argv, io) => ((await import('./lab.js')) as { run: Runner }).run(argv, io),
};

export const tuneCommand: Command = {
  name: 'tune',

  run: async (argv, io) => ((await import('./tune.js')) as { run: Runner }).run(argv, io),
};
