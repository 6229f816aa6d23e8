/**
 * GET /v1/nodes at 100 k and 1 M nodes: the time of one page over real HTTP (the client in a
 * worker thread, so that reading 5 MB of JSON does not count against the monitor), and the
 * longest the monitor's event loop was blocked while it was served (perf_hooks'
 * monitorEventLoopDelay at 1 ms resolution: the delay a heartbeat or timer waiting meanwhile
 * would have seen). The baseline is what the unpaged answer cost before paging, measured in the
 * same run: `table.list()` (every node sorted by id) and one JSON.stringify of it, in one turn.
 *
 * Nodes are heard once with an interval of an hour, so none is suspected during the run and the
 * table does no detection work meanwhile; the detector is the default (φ accrual), whose
 * suspicion each snapshot computes.
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { ApiServer } from '../../src/api/api-server.js';
import { NODES_PER_TURN, SLOTS_PER_TURN } from '../../src/api/node-listing.js';
import { SystemClock } from '../../src/core/clock.js';
import { loadMonitorConfig } from '../../src/config/load.js';
import type { NodeTable } from '../../src/membership/node-table.js';
import type { NodePageQuery } from '../../src/membership/types.js';
import { Monitor } from '../../src/monitor/monitor.js';
import { fmt, table, type BenchSuite } from '../harness.js';

const SIZES = [100_000, 1_000_000];
/** Requests per figure; the median time and the longest block over them are reported. */
const REQUESTS = 7;

/** Fetches in a worker thread: `{ url }` in, `{ ms, nodes, nextCursor }` out. */
const CLIENT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ url }) => {
  const start = performance.now();
  const res = await fetch(url);
  const body = await res.json();
  parentPort.postMessage({
    status: res.status,
    ms: performance.now() - start,
    nodes: Array.isArray(body.nodes) ? body.nodes.length : 0,
    nextCursor: body.nextCursor ?? null,
  });
});
`;

interface Answer {
  status: number;
  ms: number;
  nodes: number;
  nextCursor: string | null;
}

function client(): { get(url: string): Promise<Answer>; close(): Promise<number> } {
  const worker = new Worker(CLIENT, { eval: true });
  return {
    get: (url) =>
      new Promise((resolve, reject) => {
        worker.once('message', (a: Answer) =>
          a.status === 200 ? resolve(a) : reject(new Error(`status ${a.status} for ${url}`)),
        );
        worker.postMessage({ url });
      }),
    close: () => worker.terminate(),
  };
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Figure {
  label: string;
  ms: number;
  blockMs: number;
  nodes: number;
}

/** REQUESTS requests of `path` (following the cursor when `follow`): median ms, longest block. */
async function measure(
  base: string,
  http: ReturnType<typeof client>,
  label: string,
  path: string,
  follow = false,
): Promise<Figure> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const times: number[] = [];
  let nodes = 0;
  let cursor: string | null = null;
  await http.get(base + path); // warm-up
  loop.enable();
  for (let i = 0; i < REQUESTS; i++) {
    const url = follow && cursor !== null ? `${base}${path}&cursor=${cursor}` : base + path;
    const a = await http.get(url);
    times.push(a.ms);
    nodes = a.nodes;
    cursor = a.nextCursor;
  }
  loop.disable();
  return { label, ms: median(times), blockMs: loop.max / 1e6, nodes };
}

/**
 * The work of one turn of the streamed answer, as node-listing.ts does it (one bounded
 * `table.page` and the JSON of its nodes), timed turn by turn over a whole walk of the table
 * with no HTTP around it: wall ms per turn (median, 99th percentile, longest) and the longest in
 * CPU time of the process, which a preemption by another process does not lengthen (a GC pause
 * does).
 */
function turnMs(t: NodeTable, query: Omit<NodePageQuery, 'limit' | 'after'>): string {
  const wall: number[] = [];
  let cpuMax = 0;
  let after: number | undefined;
  for (;;) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const page = t.page({ ...query, after, limit: NODES_PER_TURN, maxScan: SLOTS_PER_TURN });
    JSON.stringify(page.nodes);
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuMax = Math.max(cpuMax, (used.user + used.system) / 1000);
    if (page.next === null) break;
    after = page.next;
  }
  wall.sort((a, b) => a - b);
  const at = (q: number) => wall[Math.min(wall.length - 1, Math.floor(q * wall.length))] as number;
  return `${fmt(at(0.5), 2)} / ${fmt(at(0.99), 2)} / ${fmt(at(1), 1)} (cpu ${fmt(cpuMax, 1)}), ${wall.length} turns`;
}

const suite: BenchSuite = {
  name: 'api-nodes',
  title: 'HTTP API: GET /v1/nodes, paged',
  async run() {
    const rows: (string | number)[][] = [];
    const turns: (string | number)[][] = [];
    for (const n of SIZES) {
      const config = loadMonitorConfig({
        env: {},
        overrides: { host: '127.0.0.1', udpPort: null, tcpPort: null, dataPath: ':memory:' },
      });
      const monitor = new Monitor({ clock: new SystemClock() }, config);
      for (let i = 0; i < n; i++) {
        monitor.table.receive({
          type: 'heartbeat',
          nodeId: `node-${String(i).padStart(7, '0')}.dc${i % 3}`,
          incarnation: 1,
          seq: 1,
          intervalMs: 3_600_000,
        });
      }
      const api = new ApiServer({ monitor }, { processMetrics: false });
      const base = `http://127.0.0.1:${await api.start('127.0.0.1', 0)}`;
      const http = client();

      const start = performance.now();
      const text = JSON.stringify({ nodes: monitor.table.list(), counts: monitor.table.counts() });
      const baselineMs = performance.now() - start;
      const figures = [
        await measure(
          base,
          http,
          '`/healthz` (the floor: HTTP and the machine, no node work)',
          '/healthz',
        ),
        await measure(
          base,
          http,
          'page of 1000 (default), walking on',
          '/v1/nodes?limit=1000',
          true,
        ),
        await measure(base, http, 'page of 100', '/v1/nodes?limit=100', true),
        await measure(base, http, 'page of 10 000 (MAX_NODES_PAGE)', '/v1/nodes?limit=10000', true),
        await measure(
          base,
          http,
          '`?state=dead` (matches none: the whole table scanned)',
          '/v1/nodes?state=dead&limit=1000',
        ),
        await measure(
          base,
          http,
          '`?prefix=node-00001` (100 of them, the whole table scanned)',
          '/v1/nodes?prefix=node-00001&limit=1000',
        ),
      ];
      turns.push([
        fmt(n, 0),
        turnMs(monitor.table, {}),
        turnMs(monitor.table, { state: 'dead' }),
        turnMs(monitor.table, { prefix: 'node-00001' }),
      ]);
      rows.push([
        fmt(n, 0),
        'unpaged, before: list() + stringify, one turn (baseline)',
        fmt(baselineMs, 1),
        fmt(baselineMs, 1),
        fmt(n, 0),
        '1.00',
      ]);
      for (const f of figures) {
        rows.push([
          fmt(n, 0),
          f.label,
          fmt(f.ms, 1),
          fmt(f.blockMs, 1),
          fmt(f.nodes, 0),
          fmt(f.ms / baselineMs, 4),
        ]);
      }
      void text;
      await http.close();
      await api.stop();
      monitor.table.stop();
    }
    const load = loadavg()
      .map((x) => x.toFixed(1))
      .join(', ');
    return [
      `Median of ${REQUESTS} requests each (after one warm-up), over loopback HTTP with the client ` +
        'in a worker thread. "Longest block" is the largest event-loop delay of the monitor’s ' +
        'thread while those requests were served (monitorEventLoopDelay, 1 ms resolution, so ' +
        '~1 ms is its floor). The ratio is the request time against the baseline, the unpaged ' +
        `answer of before. Load average during the run: ${load}.`,
      '',
      table(
        ['nodes', 'request', 'ms', 'longest block ms', 'nodes returned', 'ratio vs unpaged'],
        rows,
      ),
      '',
      `The work of one turn of the streamed answer (${NODES_PER_TURN} snapshots or ` +
        `${SLOTS_PER_TURN} slots looked at, and their JSON), timed for every turn of a walk over ` +
        'the whole table in the monitor’s thread with no HTTP around it: median / 99th percentile / ' +
        'longest wall ms per turn, and the longest in CPU ms (a preemption by another process does ' +
        'not lengthen it; a GC pause does). This is what a request adds to the event loop at once; ' +
        'the delays above add the machine.',
      '',
      table(['nodes', 'no filter', '`state=dead` (none)', '`prefix=node-00001` (100)'], turns),
    ].join('\n');
  },
};

export default suite;
