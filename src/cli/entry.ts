/**
 * Runs the CLI from source (`node --import tsx src/cli/entry.ts …`), as tests and the demo's
 * child processes do when no build is present. bin/heartbeat.js is the installed entry.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
