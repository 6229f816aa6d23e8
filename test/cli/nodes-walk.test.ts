/**
 * `heartbeat nodes` walks GET /v1/nodes page by page: against a real monitor holding more nodes
 * than one page, it prints each once, sorted by id, and passes --state, --tag and --prefix on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SystemClock } from '../../src/core/clock.js';
import { MAX_NODES_PAGE } from '../../src/core/limits.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { quietApiConfig } from '../monitor/helpers.js';

let monitor: Monitor;
let url = '';
const NODES = MAX_NODES_PAGE + 1500;

beforeAll(async () => {
  monitor = createMonitor({ clock: new SystemClock() }, quietApiConfig(), {
    api: { processMetrics: false },
  });
  const ports = await monitor.start();
  url = `http://127.0.0.1:${ports.httpPort}`;
  // Joined in an order other than by id, so the sorting is the CLI's.
  for (let i = NODES - 1; i >= 0; i--) {
    const id = `node-${String(i).padStart(5, '0')}`;
    if (i % 100 === 0) monitor.table.register(id, { tags: ['rack-7'] });
    else monitor.table.receive({ type: 'heartbeat', nodeId: id, incarnation: 1, seq: 1 });
  }
});
afterAll(async () => {
  await monitor.stop();
});

async function cli(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main([...argv, '--url', url], { out: (l) => out.push(l), err: () => {} }, {});
  return { code, out };
}

describe('heartbeat nodes over many pages', () => {
  it('prints every node once, sorted by id', async () => {
    const { code, out } = await cli('nodes', '--json');
    expect(code).toBe(0);
    const ids = (JSON.parse(out.join('\n')) as { id: string }[]).map((n) => n.id);
    expect(ids).toHaveLength(NODES);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(NODES);
  });

  it('filters by state, tag and prefix', async () => {
    const ids = async (...flags: string[]) =>
      (JSON.parse((await cli('nodes', '--json', ...flags)).out.join('\n')) as { id: string }[]).map(
        (n) => n.id,
      );
    expect(await ids('--state', 'unknown')).toHaveLength(Math.ceil(NODES / 100));
    expect(await ids('--tag', 'rack-7')).toHaveLength(Math.ceil(NODES / 100));
    expect(await ids('--prefix', 'node-0100')).toEqual(
      Array.from({ length: 10 }, (_, i) => `node-0100${i}`),
    );
    const table = await cli('nodes', '--prefix', 'node-0000', '--state', 'alive');
    expect(
      table.out
        .join('\n')
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(Array.from({ length: 9 }, (_, i) => `node-0000${i + 1}`));
  });
});
