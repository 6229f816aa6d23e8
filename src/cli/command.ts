/** The shape of a `heartbeat` command, as src/cli/main.ts loads and runs it. */
import type { CliIo } from './usage.js';

/**
 * One `heartbeat <name>` command. `run` returns the exit status (exit-codes.ts); a mistake in its
 * input it throws, and main prints it in one line.
 */
export interface Command {
  name: string;
  /** Full `--help` text, which `heartbeat <name> --help` (or `-h`) prints. */
  help: string;
  run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number>;
  /** This command's own exit status for an error `run` threw, where it differs from exit-codes.ts. */
  exitCodeFor?(error: unknown): number | undefined;
}
