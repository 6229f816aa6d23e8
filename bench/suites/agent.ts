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
  await new Promise((resolve) => setTimeout(resolve, 500));
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

const suite: BenchSuite = {
  name: 'agent',
  title: 'Agent cost: CPU and memory of a heartbeat every second',
  async run() {
    const receivers = await startReceivers();
    let results: ChildResult[];
    try {
      // All variants at once: the same ~20 s of the same machine for each.
      results = await Promise.all(
        VARIANTS.map(({ variant }) =>
          runChild(variant, variant === 'agent-tcp' ? receivers.tcpPort : receivers.udpPort),
        ),
      );
    } finally {
      await receivers.close();
    }
    const idle = results.find((r) => r.variant === 'idle') as ChildResult;
    const idleCpuMs = idle.cpuUserMs + idle.cpuSystemMs;
    const rows = results.map((r) => {
      const label = VARIANTS.find((v) => v.variant === r.variant)?.label ?? r.variant;
      const cpuMs = r.cpuUserMs + r.cpuSystemMs;
      const received = receivers.counts.get(`bench-${r.variant}`);
      const extraMs = cpuMs - idleCpuMs;
      return [
        label,
        r.messages,
        received?.messages ?? 0,
        received === undefined ? '–' : fmt(received.bytes / received.messages, 0),
        fmt(cpuMs, 0),
        fmt((100 * cpuMs) / r.wallMs, 3),
        r.variant === 'idle' ? '1.00' : fmt(cpuMs / idleCpuMs, 2),
        r.variant === 'idle' || r.messages === 0 ? '–' : fmt(extraMs / r.messages, 3),
        fmt(r.rssBytes / 2 ** 20, 1),
        r.variant === 'idle' ? '1.00' : fmt(r.rssBytes / idle.rssBytes, 2),
      ];
    });
    return [
      `Each variant is its own Node.js process (loaded with tsx, so RSS includes the TypeScript`,
      `loader), measured for ${fmt(DURATION_MS / 1000, 0)} s at an interval of ${INTERVAL_MS} ms`,
      `with jitter 0.1; all variants ran at the same time. CPU is user + system time from`,
      `\`process.cpuUsage()\`, RSS is read at the end after a GC.`,
      '',
      table(
        [
          'variant',
          'sent',
          'received',
          'bytes/msg',
          'CPU ms',
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
