/**
 * `heartbeat demo`: a monitor and five real agent processes on loopback. It kills one
 * (SIGKILL), freezes another (SIGSTOP, then SIGCONT), stops a third gracefully (SIGTERM) and
 * prints every transition with its detection time: the whole idea in under a minute.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { SystemClock } from '../../core/clock.js';
import { loadMonitorConfig } from '../../config/load.js';
import type { NodeState, NodeTransition } from '../../membership/types.js';
import { createMonitor } from '../../daemon/create-monitor.js';
import type { Monitor } from '../../monitor/monitor.js';
import type { Command } from '../command.js';
import { parseFlags, type CliIo } from '../usage.js';
import { listenForSignal } from '../signals.js';
import { formatTransition } from './monitor.js';

const help = `Usage: heartbeat demo [--stay]

Starts a monitor and five agents (over UDP, TCP and HTTP) on 127.0.0.1, then:
  1. SIGKILLs demo-2            → suspect, then dead
  2. SIGSTOPs demo-3 for 4 s    → suspect (maybe dead), then recovered after SIGCONT
  3. SIGTERMs demo-4            → left (a goodbye, not a failure)
Each transition is printed with its detection time.

Flags:
  --stay   keep the monitor and the remaining agents running until Ctrl-C
  --help   this text`;

const INTERVAL_MS = 250;
const clock = new SystemClock();

/** How to start this same CLI in a child process (built or from source). */
function selfCommand(): string[] {
  return [...process.execArgv, process.argv[1] as string];
}

function startAgent(id: string, target: string, io: CliIo): ChildProcess {
  const args = ['agent', '--id', id, '--monitor', target, '--interval', `${INTERVAL_MS}ms`];
  const child = spawn(process.execPath, [...selfCommand(), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) io.out(`             [${id}] ${line}`);
  });
  return child;
}

/** Resolves with the first transition of `nodeId` into `state`, or rejects after `timeoutMs`. */
function nextTransition(
  monitor: Monitor,
  nodeId: string,
  states: NodeState[],
  timeoutMs: number,
): Promise<NodeTransition> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      off();
      reject(new Error(`${nodeId} did not become ${states.join(' or ')} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = monitor.on('transition', (t) => {
      if (t.nodeId !== nodeId || !states.includes(t.to)) return;
      timer.cancel();
      off();
      resolve(t);
    });
  });
}

const pause = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

async function run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseFlags<{ stay?: boolean }>('demo', argv, { stay: { type: 'boolean' } });
  const config = loadMonitorConfig({
    env: {},
    overrides: {
      host: '127.0.0.1',
      udpPort: 0,
      tcpPort: 0,
      httpPort: Number(env['HEARTBEAT_DEMO_HTTP_PORT'] ?? 0),
      dataPath: ':memory:',
      defaultIntervalMs: INTERVAL_MS,
      detector: {
        kind: 'phi-accrual',
        threshold: 8,
        minStdDeviationMs: 50,
        acceptableHeartbeatPauseMs: 2 * INTERVAL_MS,
      },
      deadAfterMs: 1500,
      startupGraceMs: 10_000,
    },
  });
  const monitor = createMonitor({ clock }, config);
  monitor.on('transition', (t) => io.out(formatTransition(t)));
  const ports = await monitor.start();
  const api = `http://127.0.0.1:${ports.httpPort}`;
  io.out(
    `monitor up. Look at: ${api}/v1/nodes  ${api}/v1/events  ${api}/v1/events/stream  ${api}/metrics`,
  );

  const targets = [
    `udp://127.0.0.1:${ports.udpPort}`,
    `udp://127.0.0.1:${ports.udpPort}`,
    `tcp://127.0.0.1:${ports.tcpPort}`,
    `http://127.0.0.1:${ports.httpPort}`,
    `tcp://127.0.0.1:${ports.tcpPort}`,
  ];
  const agents = new Map<string, ChildProcess>();
  const up = targets.map((target, i) => {
    const id = `demo-${i + 1}`;
    const alive = nextTransition(monitor, id, ['alive'], 30_000);
    agents.set(id, startAgent(id, target, io));
    return alive;
  });
  try {
    await Promise.all(up);
    io.out(`\nall five agents alive (heartbeat every ${INTERVAL_MS} ms). Now the failures:\n`);

    io.out('[1] SIGKILL demo-2: a crash');
    const dead = nextTransition(monitor, 'demo-2', ['dead'], 15_000);
    agents.get('demo-2')?.kill('SIGKILL');
    await dead;

    io.out('\n[2] SIGSTOP demo-3 for 4 s: a hung process');
    const suspect = nextTransition(monitor, 'demo-3', ['suspect'], 15_000);
    agents.get('demo-3')?.kill('SIGSTOP');
    await suspect;
    await pause(4000);
    const recovered = nextTransition(monitor, 'demo-3', ['alive'], 30_000);
    agents.get('demo-3')?.kill('SIGCONT');
    await recovered;

    io.out('\n[3] SIGTERM demo-4: a graceful stop');
    const left = nextTransition(monitor, 'demo-4', ['left'], 15_000);
    agents.get('demo-4')?.kill('SIGTERM');
    await left;

    io.out('');
    for (const node of monitor.table.list()) io.out(`  ${node.id.padEnd(8)} ${node.status}`);
    if (values.stay === true) {
      const stop = listenForSignal(['SIGINT', 'SIGTERM']);
      io.out(`\nmonitor still running at ${api}/v1/nodes — Ctrl-C to stop`);
      await stop.received;
    }
    return 0;
  } finally {
    for (const child of agents.values()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      }
    }
    await monitor.stop();
  }
}

export const command: Command = {
  name: 'demo',

  help,
  run,
};
