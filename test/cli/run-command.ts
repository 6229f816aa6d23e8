/**
 * `heartbeat <name> …` in this process, as `main` runs it: errors become one line on `err` and
 * an exit status. For the tests of one command (sim, lab, tune).
 */
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/usage.js';

export function runCommand(name: string): (argv: string[], io: CliIo) => Promise<number> {
  return (argv, io) => main([name, ...argv], io, {});
}
