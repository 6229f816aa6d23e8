/**
 * What an agent costs the service it runs in: CPU time (`process.cpuUsage`) and memory of a
 * process that sends a heartbeat every second for ~20 s, against the same process doing nothing
 * (same modules loaded, no agent) measured at the same time. Each variant runs in its own child
 * process (this file, started with `--child <variant>`), so that neither the bench runner nor the
 * other variants are counted; the parent receives the heartbeats on UDP and counts them.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from '../../src/agent/agent.js';
import { SystemClock } from '../../src/core/clock.js';
import { StreamDecoder, decodeBinary } from '../../src/protocol/index.js';
import { fmt, table, type BenchSuite } from '../harness.js';

const here = fileURLToPath(import.meta.url);
/** Measured time per variant. Override with HEARTBEAT_BENCH_AGENT_MS for a quick look. */
const DURATION_MS = Number(process.env['HEARTBEAT_BENCH_AGENT_MS'] ?? 20_000);
const INTERVAL_MS = 1000;

type Variant = 'idle' | 'agent' | 'agent-no-eld' | 'agent-bare' | 'agent-tcp';

const VARIANTS: { variant: Variant; label: string }[] = [
  { variant: 'idle', label: 'idle process (baseline, no agent)' },
  { variant: 'agent', label: 'agent, UDP, default payload' },
  { variant: 'agent-no-eld', label: 'agent, UDP, default payload less event-loop delay' },
  { variant: 'agent-bare', label: 'agent, UDP, no payload' },
  { variant: 'agent-tcp', label: 'agent, TCP, default payload' },
];

interface ChildResult {
  variant: Variant;
  cpuUserMs: number;
  cpuSystemMs: number;
  wallMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  messages: number;
}

/** Child side: load the same modules, run (or not) an agent for DURATION_MS, report. */
async function child(variant: Variant, port: number): Promise<void> {
  let agent: Agent | undefined;
  if (variant !== 'idle') {
    agent = new Agent(
      { clock: new SystemClock() },
      {
        nodeId: `bench-${variant}`,
        targets: [`${variant === 'agent-tcp' ? 'tcp' : 'udp'}://127.0.0.1:${port}`],
        intervalMs: INTERVAL_MS,
        ...(variant === 'agent-bare' ? { providers: [] } : {}),
        ...(variant === 'agent-no-eld'
          ? { providers: ['load', 'memory', 'uptime', 'version'] as const }
          : {}),
      },
    );
  }
  // Let start-up work (module compilation, JIT of the first calls) settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  agent?.start();
  await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const messages = agent?.stats().messages ?? 0;
  await agent?.stop({ leave: false });
  globalThis.gc?.();
  const memory = process.memoryUsage();
  const result: ChildResult = {
    variant,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    wallMs,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    messages,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(variant: Variant, port: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', here, '--child', variant, String(port)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') reject(new Error(`${variant} child exited ${code}: ${out}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

/** Receives the UDP and TCP heartbeats of the children; counts them and their bytes. */
async function startReceivers(): Promise<{
  udpPort: number;
  tcpPort: number;
  counts: Map<string, { messages: number; bytes: number }>;
  close(): Promise<void>;
}> {
  const counts = new Map<string, { messages: number; bytes: number }>();
  const count = (nodeId: string, bytes: number) => {
    const entry = counts.get(nodeId) ?? { messages: 0, bytes: 0 };
    entry.messages++;
    entry.bytes += bytes;
    counts.set(nodeId, entry);
  };
  const udp = dgram.createSocket('udp4');
  udp.on('message', (data) => count(decodeBinary(data).nodeId, data.length));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    const decoder = new StreamDecoder();
    socket.on('data', (chunk: Buffer) => {
      const items = decoder.push(chunk);
      for (const item of items) {
        if (!(item instanceof Error)) count(item.nodeId, chunk.length / items.length);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  return {
    udpPort: (udp.address() as AddressInfo).port,
    tcpPort: (tcp.address() as AddressInfo).port,
    counts,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** Rounds of the whole set; each figure is the median over the rounds (the machine is shared). */
const ROUNDS = Number(process.env['HEARTBEAT_BENCH_AGENT_ROUNDS'] ?? 5);

const medianOf = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const suite: BenchSuite = {
  name: 'agent',
  title: 'Agent cost: CPU and memory of a heartbeat every second',
  async run() {
    const receivers = await startReceivers();
    const rounds: ChildResult[][] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        // All variants at once: the same ~20 s of the same machine for each.
        rounds.push(
          await Promise.all(
            VARIANTS.map(({ variant }) =>
              runChild(variant, variant === 'agent-tcp' ? receivers.tcpPort : receivers.udpPort),
            ),
          ),
        );
      }
    } finally {
      await receivers.close();
    }
    const summary = VARIANTS.map(({ variant, label }) => {
      const runs = rounds.map((r) => r.find((x) => x.variant === variant) as ChildResult);
      return {
        variant,
        label,
        cpuMs: medianOf(runs.map((r) => r.cpuUserMs + r.cpuSystemMs)),
        cpuRange: runs.map((r) => r.cpuUserMs + r.cpuSystemMs),
        cpuPercent: medianOf(runs.map((r) => (100 * (r.cpuUserMs + r.cpuSystemMs)) / r.wallMs)),
        messages: medianOf(runs.map((r) => r.messages)),
        rssBytes: medianOf(runs.map((r) => r.rssBytes)),
      };
    });
    const idle = summary[0] as (typeof summary)[number];
    const rows = summary.map((r) => {
      const received = receivers.counts.get(`bench-${r.variant}`);
      const isIdle = r.variant === 'idle';
      return [
        r.label,
        r.messages,
        received === undefined ? 0 : fmt(received.messages / rounds.length, 0),
        received === undefined ? '–' : fmt(received.bytes / received.messages, 0),
        `${fmt(r.cpuMs, 0)} (${r.cpuRange.map((x) => fmt(x, 0)).join(', ')})`,
        fmt(Math.min(...r.cpuRange), 0),
        fmt(r.cpuPercent, 3),
        isIdle ? '1.00' : fmt(r.cpuMs / idle.cpuMs, 1),
        isIdle || r.messages === 0 ? '–' : fmt((r.cpuMs - idle.cpuMs) / r.messages, 2),
        fmt(r.rssBytes / 2 ** 20, 1),
        isIdle ? '1.00' : fmt(r.rssBytes / idle.rssBytes, 2),
      ];
    });
    return [
      `Each variant is its own Node.js process, loaded with tsx (so RSS includes the TypeScript ` +
        `loader), measured for ${fmt(DURATION_MS / 1000, 0)} s at an interval of ${INTERVAL_MS} ms ` +
        `with jitter 0.1; in each of ${rounds.length} rounds all variants ran at the same time, ` +
        `and each figure is the median over the rounds (CPU of every round in brackets). CPU is ` +
        `user + system time from \`process.cpuUsage()\`; RSS is read at the end, after a GC. ` +
        `"CPU vs idle" is the ratio against the idle process; "extra CPU ms per heartbeat" is ` +
        `the difference divided by the messages sent.`,
      '',
      table(
        [
          'variant',
          'sent',
          'received',
          'bytes/msg',
          'CPU ms, median (rounds)',
          'CPU ms, best round',
          'CPU % of a core',
          'CPU vs idle',
          'extra CPU ms per heartbeat',
          'RSS MiB',
          'RSS vs idle',
        ],
        rows,
      ),
    ].join('\n');
  },
};

export default suite;

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === here) {
  const at = process.argv.indexOf('--child');
  await child(process.argv[at + 1] as Variant, Number(process.argv[at + 2]));
}
