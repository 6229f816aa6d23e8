#!/usr/bin/env node
// Entry point of the `heartbeat` command: the compiled CLI in dist/ (built by `npm run build`,
// which `npm install` and `npm ci` run as `prepare`). No TypeScript is compiled at run time.
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist'))
    throw error;
  process.stderr.write('heartbeat: the CLI is not built (no dist/): run `npm run build`\n');
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
