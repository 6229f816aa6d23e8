/**
 * Ingest throughput: heartbeats per second one monitor ingests over UDP, TCP and HTTP on
 * loopback, driven by a separate load-generator process (bench/load-generator.ts), with the
 * monitor's CPU and peak RSS while doing so. The baseline is a bare socket sink on the same
 * transport in the same run (a dgram socket that counts datagrams, a TCP server that counts
 * bytes, an HTTP server that reads each body and answers 200): the ratio is what decoding,
 * validation, the node table and the detectors cost on top of the socket itself.
 *
 * Rates are measured at the receiver, from the first message seen to the last (polled every
 * 10 ms), so the generator's start-up does not count. UDP has no flow control: what the
 * receiver cannot keep up with is lost, and that loss is reported.
 *
 * Over UDP and TCP the monitor is measured a second time with keys, the generator signing every
 * frame (binary v2): authenticated against plain ingest in the same run.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { MonitorConfig } from '../../src/config/types.js';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import { encodeBinary } from '../../src/protocol/binary.js';
import { fmt, table, type BenchSuite } from '../harness.js';

type Transport = 'udp' | 'tcp' | 'http';

const here = path.dirname(fileURLToPath(import.meta.url));
const generatorPath = path.join(here, '..', 'load-generator.ts');

/** Heartbeats per run, per transport: a few seconds of load each on a small machine. */
const COUNTS: Record<Transport, number> = { udp: 400_000, tcp: 1_000_000, http: 40_000 };
/**
 * Node ids the load cycles through: few enough that every node hears from itself several times a
 * second even at HTTP rates, so the detectors do not flap (a flap costs two history writes and
 * would be measured instead of ingest).
 */
const NODES = 1000;
const MAX_MS = 15_000;
/** Plain and authenticated runs of the monitor per transport (UDP, TCP), taking turns. */
const AUTH_ROUNDS = 3;

/** The run with the least CPU per message: the one the rest of the machine disturbed least. */
function leastCpu(runs: readonly Measured[]): Measured {
  return runs.reduce((best, m) => (m.cpuUsPerMessage < best.cpuUsPerMessage ? m : best));
}

/** The generator's frame size: node ids of one width make every frame the same length. */
const FRAME_BYTES = encodeBinary({
  type: 'heartbeat',
  nodeId: 'node-000000',
  incarnation: 1,
  seq: 1,
  sentAtMs: 1_763_884_800_000,
  intervalMs: 1000,
}).length;

interface Receiver {
  port: number;
  /** For the monitor: µs per join when the node ids were first heard (in-process warm-up). */
  joinUs?: number;
  /** For the monitor: transitions during the measured run (detector flaps cost history writes). */
  transitions?: () => number;
  received(): number;
  stop(): Promise<void>;
}

interface Measured {
  sent: number;
  received: number;
  perSecond: number;
  cpuPercent: number;
  /** CPU time of the receiving process per message, µs: steadier than rates on a busy machine. */
  cpuUsPerMessage: number;
  peakRssMb: number;
}

function runGenerator(
  transport: Transport,
  port: number,
  keyFile?: string,
): Promise<{ sent: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        generatorPath,
        transport,
        String(port),
        String(COUNTS[transport]),
        String(NODES),
        String(MAX_MS),
        ...(keyFile !== undefined ? [keyFile] : []),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) as string) as { sent: number });
    });
  });
}

/** Runs the generator against `receiver` and measures at the receiver. */
async function measure(
  transport: Transport,
  receiver: Receiver,
  keyFile?: string,
): Promise<Measured> {
  (globalThis as { gc?: () => void }).gc?.();
  let first: { t: number; n: number; cpu: number } | null = null;
  let last: { t: number; n: number; cpu: number } | null = null;
  let peakRss = process.memoryUsage.rss();
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const poll = setInterval(() => {
    const n = receiver.received();
    const now = { t: performance.now(), n, cpu: cpuMs() };
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (first === null) {
      if (n > 0) first = now;
    } else if (n !== last?.n) {
      last = now;
    }
  }, 10);
  const { sent } = await runGenerator(transport, receiver.port, keyFile);
  // Let queued input drain: wait until the count stops moving for 300 ms.
  for (;;) {
    const before = receiver.received();
    await new Promise((r) => setTimeout(r, 300));
    if (receiver.received() === before) break;
  }
  clearInterval(poll);
  const a = first as { t: number; n: number; cpu: number } | null;
  const b = last as { t: number; n: number; cpu: number } | null;
  const windowMs = a !== null && b !== null ? b.t - a.t : NaN;
  return {
    sent,
    received: receiver.received(),
    perSecond: a !== null && b !== null ? ((b.n - a.n) / windowMs) * 1000 : NaN,
    cpuPercent: a !== null && b !== null ? ((b.cpu - a.cpu) / windowMs) * 100 : NaN,
    cpuUsPerMessage: a !== null && b !== null ? ((b.cpu - a.cpu) * 1000) / (b.n - a.n) : NaN,
    peakRssMb: peakRss / 2 ** 20,
  };
}

async function udpSink(): Promise<Receiver> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  let n = 0;
  socket.on('message', () => n++);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    received: () => n,
    stop: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

async function tcpSink(): Promise<Receiver> {
  let bytes = 0;
  const server = net.createServer((s) => s.on('data', (d) => (bytes += d.length)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => Math.floor(bytes / FRAME_BYTES),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function httpSink(): Promise<Receiver> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Buffer.concat(chunks).toString('utf8');
      n++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => n,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

async function monitorReceiver(
  transport: Transport,
  keyFile: string | null = null,
): Promise<Receiver> {
  const config: MonitorConfig = {
    host: '127.0.0.1',
    udpPort: transport === 'udp' ? 0 : null,
    tcpPort: transport === 'tcp' ? 0 : null,
    httpPort: transport === 'http' ? 0 : null,
    dataPath: ':memory:',
    preset: 'lan',
    defaultIntervalMs: 1000,
    detector: { kind: 'phi-accrual' },
    groups: [],
    deadAfterMs: 10_000,
    startupGraceMs: 30_000,
    pauseGuard: { toleranceMs: 500, graceMs: 2000 },
    actions: { on: [], webhooks: [] },
    recordPath: null,
    retention: { forgetAfterMs: null, historyMaxAgeMs: null, historyMaxRows: null },
    keyFile,
    maxClockSkewMs: 60_000,
    tokenFile: null,
    requireAuth: false,
    allowedHosts: [],
    corsOrigins: [],
  };
  const monitor = createMonitor({ clock: new SystemClock() }, config, {
    api: { processMetrics: false },
  });
  const ports = await monitor.start();
  // Every node joins before the load starts, so the figure is steady-state ingest; a join (first
  // heartbeat: a new detector, two history writes) is measured here on its own.
  const from = { transport, address: '127.0.0.1', port: 1 };
  const t0 = performance.now();
  for (let n = 0; n < NODES; n++) {
    const nodeId = `node-${String(n).padStart(6, '0')}`;
    // With keys, as if decoded from a signed frame (authKeyId): only those are taken.
    const signed = keyFile === null ? {} : { authKeyId: 1, sentAtMs: Date.now() };
    monitor.ingest({ type: 'heartbeat', nodeId, incarnation: 1, ...signed }, from);
  }
  const joinUs = ((performance.now() - t0) * 1000) / NODES;
  let transitions = 0;
  monitor.on('transition', () => transitions++);
  const before = monitor.stats().ingest.received[transport];
  return {
    joinUs,
    transitions: () => transitions,
    port: (transport === 'udp'
      ? ports.udpPort
      : transport === 'tcp'
        ? ports.tcpPort
        : ports.httpPort) as number,
    received: () => monitor.stats().ingest.received[transport] - before,
    stop: () => monitor.stop(),
  };
}

const SINKS: Record<Transport, () => Promise<Receiver>> = {
  udp: udpSink,
  tcp: tcpSink,
  http: httpSink,
};

const suite: BenchSuite = {
  name: 'ingest',
  title: 'Monitor ingest throughput (UDP, TCP, HTTP on loopback; plain and authenticated)',
  async run() {
    const rows: (string | number)[][] = [];
    const joins: string[] = [];
    const flaps: string[] = [];
    const loadBefore = os.loadavg()[0] ?? NaN;
    const keyDir = mkdtempSync(path.join(os.tmpdir(), 'hb-bench-keys-'));
    const keyFile = path.join(keyDir, 'keys');
    writeFileSync(keyFile, `1 base64:${Buffer.alloc(32, 0x5a).toString('base64')} primary\n`);
    chmodSync(keyFile, 0o600);
    const authRows: (string | number)[][] = [];
    for (const transport of ['udp', 'tcp', 'http'] as const) {
      const sink = await SINKS[transport]();
      const base = await measure(transport, sink);
      await sink.stop();
      // Plain and authenticated runs take turns, AUTH_ROUNDS of each; the round with the least
      // CPU per message of each kind is shown (the others had more of the machine taken).
      const plainRuns: Measured[] = [];
      const authRuns: Measured[] = [];
      const rounds = transport === 'http' ? 1 : AUTH_ROUNDS;
      for (let round = 0; round < rounds; round++) {
        const monitor = await monitorReceiver(transport);
        plainRuns.push(await measure(transport, monitor));
        await monitor.stop();
        if (round === 0) {
          joins.push(fmt(monitor.joinUs ?? NaN, 0));
          flaps.push(String(monitor.transitions?.() ?? 0));
        }
        if (transport === 'http') continue;
        const keyed = await monitorReceiver(transport, keyFile);
        authRuns.push(await measure(transport, keyed, keyFile));
        await keyed.stop();
      }
      const got = leastCpu(plainRuns);
      const loss = (m: Measured) => `${fmt((1 - m.received / m.sent) * 100, 1)} %`;
      const row = (name: string, m: Measured, ratio: string) => [
        name,
        fmt(m.perSecond, 0),
        ratio,
        fmt(m.cpuPercent, 0),
        fmt(m.cpuUsPerMessage, 1),
        fmt(m.peakRssMb, 0),
        `${m.received.toLocaleString('en-US')} / ${m.sent.toLocaleString('en-US')}`,
        loss(m),
      ];
      const vsSink = (m: Measured) => `${fmt(m.perSecond / base.perSecond, 2)}×`;
      rows.push(row(`${transport}, bare socket sink (baseline)`, base, '1.00×'));
      rows.push(row(`${transport}, monitor`, got, vsSink(got)));
      if (transport === 'http') continue;
      const auth = leastCpu(authRuns);
      rows.push(
        row(`${transport}, monitor with keys, authenticated (binary v2)`, auth, vsSink(auth)),
      );
      const cpuOf = (runs: Measured[]) => runs.map((m) => fmt(m.cpuUsPerMessage, 1)).join(', ');
      authRows.push([
        transport,
        `${fmt(auth.perSecond, 0)} / ${fmt(got.perSecond, 0)}`,
        `${fmt(auth.perSecond / got.perSecond, 2)}×`,
        `${fmt(auth.cpuUsPerMessage, 1)} / ${fmt(got.cpuUsPerMessage, 1)} (rounds: ${cpuOf(authRuns)} / ${cpuOf(plainRuns)})`,
        `+${fmt(auth.cpuUsPerMessage - got.cpuUsPerMessage, 1)}`,
        `${fmt(got.cpuUsPerMessage / auth.cpuUsPerMessage, 2)}×`,
      ]);
    }
    rmSync(keyDir, { recursive: true, force: true });
    return [
      `One load-generator process sends as fast as the transport lets it, from ${NODES.toLocaleString('en-US')} node ids (binary v1 frames over UDP and TCP, all made before the first is sent, so the bare sink measures the socket alone; JSON \`POST /v1/heartbeat\` over HTTP with 16 keep-alive connections); the monitor runs the default φ-accrual detector per node, history in \`:memory:\`. CPU is the receiving process's (100 % = one core) over the measured window, and per message received — the steadier figure when other work shares the machine; RSS is the bench process's peak (it hosts the receiver). Both processes share the machine's cores.`,
      '',
      table(
        [
          'receiver',
          'messages/s',
          'vs sink',
          'CPU %',
          'CPU µs/msg',
          'peak RSS MB',
          'received / sent',
          'lost',
        ],
        rows,
      ),
      '',
      `Load average (1 min) when the suite started: ${fmt(loadBefore, 1)} on ${os.cpus().length} cores — other work on the machine takes cores from both processes, so absolute rates move from run to run; the ratio against the sink measured in the same minute moves less.`,
      '',
      `Authenticated against plain ingest, the same monitor and load in the same run: every frame signed (binary v2, HMAC-SHA-256, 16-byte MAC) before the generator starts sending, and checked by the monitor. Plain and authenticated runs took turns, ${AUTH_ROUNDS} of each per transport; the rows above and the ratios below are each kind's run with the least CPU per message (all rounds in brackets). "Ingest per CPU" is plain CPU µs/msg over authenticated: the share of plain ingest one core keeps with authentication (above 0.5: authentication does not halve ingest). Rates depend on how much of the machine the monitor got; CPU per message less so.`,
      '',
      table(
        [
          'transport',
          'messages/s: authenticated / plain',
          'rate ratio',
          'CPU µs/msg: authenticated / plain',
          'MAC and checks, µs/msg',
          'ingest per CPU',
        ],
        authRows,
      ),
      '',
      `Before each monitor run its ${NODES.toLocaleString('en-US')} nodes join in-process (the figures above are steady-state heartbeats): a join — first heartbeat of a new node: a new detector, two transition appends (joined, alive) and one registry upsert, each its own SQLite commit — cost ${joins.join(' / ')} µs per node in the UDP / TCP / HTTP runs, so a burst of new nodes is ingested far slower than heartbeats of known ones, and over UDP the excess is lost. Transitions during the measured runs (detector verdicts on nodes whose heartbeats the load spaced unevenly): ${flaps.join(' / ')}.`,
    ].join('\n');
  },
};

export default suite;
