#!/usr/bin/env node
// Entry point of the `heartbeat` command: the compiled CLI in dist/ (built by `npm install`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
