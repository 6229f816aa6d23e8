import type { CliIo } from './usage.js';

/** One `heartbeat <name>` command. `run` returns the exit status: 0 ok, 1 check failed, 2 usage. */
export interface Command {
  name: string;
  /** Full `--help` text; when absent the command prints its own help for `--help`. */
  help?: string;
  run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number>;
  /** This command's own exit status for an error `run` threw, where it differs from exit-codes.ts. */
  exitCodeFor?(error: unknown): number | undefined;
}
