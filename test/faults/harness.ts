/**
 * The fault suite's parts: a fleet of real agents in one process (fixtures/fleet.ts), a monitor
 * process on a given history file and ports, its event stream recorded, and reading what its
 * history holds.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { subscribe, type Frame } from '../api/sse-frames.js';
import { startMonitor, watchProcess, type CliProcess } from '../integration/cli-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A timeout detector makes the bounds exact: suspect 500 ms after the last heartbeat, dead 500 ms later. */
export const TIMING = [
  '--detector',
  '{"kind":"timeout","timeoutMs":500}',
  '--dead-after',
  '500ms',
  '--interval',
  '100ms',
];

export type Monitor = CliProcess & { udp: number; tcp: number; http: number };

/**
 * `count` agents `<prefix><i>` sending to `udp://127.0.0.1:<port>` every `intervalMs`, signing
 * with the keys of `keyFile` when given (SIGHUP the fleet to read it again).
 */
export async function startFleet(
  port: number,
  prefix: string,
  count: number,
  intervalMs = 100,
  keyFile?: string,
): Promise<CliProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(here, 'fixtures', 'fleet.ts'),
      `udp://127.0.0.1:${port}`,
      prefix,
      String(count),
      String(intervalMs),
      ...(keyFile !== undefined ? [keyFile] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const fleet = watchProcess(child);
  await fleet.waitFor(/^fleet ready$/, 30_000);
  return fleet;
}

/** A monitor on `data`, on the ports of `like` when given (agents keep sending there). */
export async function monitorOn(
  data: string,
  like?: Monitor,
  extra: string[] = [],
): Promise<Monitor> {
  const ports =
    like === undefined
      ? []
      : [
          '--udp-port',
          String(like.udp),
          '--tcp-port',
          String(like.tcp),
          '--http-port',
          String(like.http),
        ];
  return startMonitor([...TIMING, '--quiet', '--data', data, ...ports, ...extra]);
}

/** Records the monitor's event stream from now on. */
export async function record(monitor: Monitor): Promise<{ frames: Frame[]; close: () => void }> {
  return subscribe(`http://127.0.0.1:${monitor.http}/v1/events/stream`);
}

/** Resolves when `check` holds, polling on the event loop (I/O in between); fails after `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms = 30_000,
  what = 'the condition',
): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Nodes per state, from the monitor's API. */
export async function counts(monitor: Monitor): Promise<Record<string, number>> {
  const res = await fetch(`http://127.0.0.1:${monitor.http}/v1/stats`);
  return ((await res.json()) as { nodesByState: Record<string, number> }).nodesByState;
}

/** Every stored transition, oldest first, paging `/v1/events`. */
export async function history(
  monitor: Monitor,
): Promise<{ id: number; nodeId: string; from: string; to: string; reason: string }[]> {
  const rows: { id: number; nodeId: string; from: string; to: string; reason: string }[] = [];
  let before: number | null | undefined;
  do {
    const url = `http://127.0.0.1:${monitor.http}/v1/events?limit=1000${before ? `&before=${before}` : ''}`;
    const page = (await (await fetch(url)).json()) as {
      events: typeof rows;
      nextBefore: number | null;
    };
    rows.push(...page.events);
    before = page.nextBefore;
  } while (before !== null);
  return rows.reverse();
}

/** `node from→to` of a stream frame or a history row. */
export const change = (t: { nodeId?: unknown; from?: unknown; to?: unknown }): string =>
  `${String(t.nodeId)} ${String(t.from)}→${String(t.to)}`;

/**
 * Freezes the monitor with SIGSTOP for `frozenMs` while `steady` agents keep sending, then lets
 * it run again; afterwards a witness agent is killed and must be convicted (detection works
 * after the stall), while no steady node may ever have been suspected.
 */
export async function freezeMonitor(
  frozenMs: number,
  running: CliProcess[],
  dir: string,
): Promise<void> {
  const data = `${dir}/history.db`;
  const monitor = await monitorOn(data);
  running.push(monitor);
  const steady = await startFleet(monitor.udp, 'calm-', 50);
  running.push(steady);
  await until(async () => (await counts(monitor)).alive === 50, 30_000, '50 alive');

  monitor.child.kill('SIGSTOP');
  await new Promise((resolve) => setTimeout(resolve, frozenMs)); // the scenario: frozen this long
  monitor.child.kill('SIGCONT');

  const witness = await startFleet(monitor.udp, 'witness-', 1);
  running.push(witness);
  await until(async () => (await counts(monitor)).alive === 51, 30_000, 'the witness alive');
  witness.child.kill('SIGKILL');
  await until(async () => (await counts(monitor)).dead === 1, 30_000, 'the witness dead');

  const rows = await history(monitor);
  const accused = rows.filter(
    (r) => r.nodeId.startsWith('calm-') && (r.to === 'suspect' || r.to === 'dead'),
  );
  if (accused.length > 0)
    throw new Error(`convicted after a ${frozenMs} ms stop: ${accused.map(change).join(', ')}`);
  const stats = (await (await fetch(`http://127.0.0.1:${monitor.http}/v1/stats`)).json()) as {
    stalls: { stalls: number; longestMs: number };
  };
  if (stats.stalls.stalls < 1 || stats.stalls.longestMs < frozenMs * 0.9) {
    throw new Error(`the pause guard did not see the stop: ${JSON.stringify(stats.stalls)}`);
  }
}
