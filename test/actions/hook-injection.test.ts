/**
 * Node ids chosen by whoever sends a heartbeat reach exec hooks only as environment variables,
 * never through a shell string: a real monitor, nodes registered over its API with ids made to
 * break out of a command, and a hook that records the ids it sees.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import { testConfig } from '../monitor/helpers.js';

const HOSTILE = [
  '$(touch${IFS}pwned)',
  '`touch${IFS}pwned`',
  ';id',
  '-rf',
  "x'$(id)'",
  '|touch${IFS}pwned',
];
let dir = '';
afterEach(() => {
  delete process.env['HB_HOOK_OUT'];
  rmSync(dir, { recursive: true, force: true });
});

it('runs nothing a node id says, and gives the hook each id exactly', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hb-inject-'));
  process.env['HB_HOOK_OUT'] = dir;
  const monitor = createMonitor(
    { clock: new SystemClock() },
    testConfig({
      udpPort: null,
      tcpPort: null,
      actions: {
        on: [
          {
            state: 'unknown',
            command: 'cd "$HB_HOOK_OUT" && printf "%s\\n" "$HEARTBEAT_NODE_ID" >> ids',
          },
        ],
        webhooks: [],
      },
    }),
    { api: { processMetrics: false } },
  );
  const { httpPort } = await monitor.start();
  try {
    const register = (id: string) =>
      fetch(`http://127.0.0.1:${httpPort}/v1/nodes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
      });
    // With whitespace it is not a node id at all.
    expect((await register('$(touch pwned)')).status).toBe(400);
    for (const id of HOSTILE) expect((await register(id)).status).toBe(201);
    const file = path.join(dir, 'ids');
    const deadline = Date.now() + 10_000;
    while (
      (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0) < HOSTILE.length
    ) {
      if (Date.now() > deadline) throw new Error('the hooks did not run');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(readFileSync(file, 'utf8').split('\n').slice(0, -1).sort()).toEqual([...HOSTILE].sort());
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(process.cwd(), 'pwned'))).toBe(false);
  } finally {
    await monitor.stop();
  }
});
