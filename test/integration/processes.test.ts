/**
 * The service with real parts: a `heartbeat monitor` process, `heartbeat agent` processes over
 * UDP and TCP, signals for crashes (SIGKILL), hangs (SIGSTOP) and graceful stops (SIGTERM), and
 * a real SQLite file. Every wait is for an event (a printed transition), never a fixed sleep,
 * except where the scenario itself is "stay frozen for N ms".
 */
import { existsSync, mkdtempSync, readFileSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli, startMonitor, type CliProcess } from './cli-process.js';

const INTERVAL = '100ms';
// A fixed timeout makes the bounds exact: suspect 500 ms after the last heartbeat, dead 500 ms later.
const DETECTOR = '{"kind":"timeout","timeoutMs":500}';
const TIMING = ['--detector', DETECTOR, '--dead-after', '500ms', '--interval', INTERVAL];

const running: CliProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});

function track<T extends CliProcess>(p: T): T {
  running.push(p);
  return p;
}

function agent(id: string, target: string): CliProcess {
  return track(
    startCli(['agent', '--id', id, '--monitor', target, '--interval', INTERVAL, '--jitter', '0']),
  );
}

const transition = (id: string, from: string, to: string) =>
  new RegExp(`\\b${id}: ${from} → ${to} \\(([^)]*)\\)`);
const frozen = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (detail: string) => Number(/detected ([\d.]+) s/.exec(detail)?.[1]);

describe('monitor and agents as real processes', () => {
  it('declares a SIGKILLed agent dead within timeout + dead grace', async () => {
    const monitor = track(await startMonitor([...TIMING, '--data', ':memory:']));
    const a = agent('crash-1', `udp://127.0.0.1:${monitor.udp}`);
    await monitor.waitFor(transition('crash-1', 'unknown', 'alive'));
    a.child.kill('SIGKILL');
    const dead = await monitor.waitFor(transition('crash-1', 'suspect', 'dead'));
    const detection = seconds(dead[1] as string);
    // Never before 500 ms timeout + 500 ms grace after the last heartbeat; at most one pause-guard
    // grace (2 s in the lan preset) and scheduling slack later, even on a loaded machine.
    expect(detection).toBeGreaterThanOrEqual(1.0);
    expect(detection).toBeLessThan(3.5);
  });

  it('suspects a SIGSTOPped agent and recovers it after SIGCONT', async () => {
    const monitor = track(await startMonitor([...TIMING, '--data', ':memory:']));
    const a = agent('hang-1', `tcp://127.0.0.1:${monitor.tcp}`);
    await monitor.waitFor(transition('hang-1', 'unknown', 'alive'));
    a.child.kill('SIGSTOP');
    await monitor.waitFor(transition('hang-1', 'suspect', 'dead'));
    a.child.kill('SIGCONT');
    const back = await monitor.waitFor(transition('hang-1', 'dead', 'alive'));
    expect(back[1]).toMatch(/heartbeat, down for/);
  });

  it('records a graceful stop as left and runs no failure action', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-actions-'));
    const leftFile = path.join(dir, 'left.txt');
    const deadFile = path.join(dir, 'dead.txt');
    const monitor = track(
      await startMonitor([
        ...TIMING,
        '--data',
        ':memory:',
        '--on',
        'left',
        `echo "$HEARTBEAT_NODE_ID" >> ${leftFile}`,
        '--on',
        'dead',
        `echo "$HEARTBEAT_NODE_ID" >> ${deadFile}`,
      ]),
    );
    const graceful = agent('bye-1', `udp://127.0.0.1:${monitor.udp}`);
    const witness = agent('witness-1', `udp://127.0.0.1:${monitor.udp}`);
    await monitor.waitFor(transition('bye-1', 'unknown', 'alive'));
    await monitor.waitFor(transition('witness-1', 'unknown', 'alive'));
    expect(await graceful.stop('SIGTERM')).toBe(0);
    await monitor.waitFor(transition('bye-1', 'alive', 'left'));
    // A crash of the witness afterwards: once it is dead, a false failure of bye-1 would have been
    // reported too (same timeout, earlier start).
    witness.child.kill('SIGKILL');
    await monitor.waitFor(transition('witness-1', 'suspect', 'dead'));
    await waitForFile(deadFile, 'witness-1');
    expect(readFileSync(leftFile, 'utf8')).toBe('bye-1\n');
    expect(readFileSync(deadFile, 'utf8')).toBe('witness-1\n');
    expect(monitor.lines.some((l) => /bye-1: \w+ → (suspect|dead)/.test(l))).toBe(false);
  });

  it('reports a restarted agent (new incarnation) as restarted', async () => {
    const monitor = track(await startMonitor([...TIMING, '--data', ':memory:']));
    const first = agent('phoenix', `udp://127.0.0.1:${monitor.udp}`);
    await monitor.waitFor(transition('phoenix', 'unknown', 'alive'));
    first.child.kill('SIGKILL');
    await first.exited;
    agent('phoenix', `udp://127.0.0.1:${monitor.udp}`);
    const restarted = await monitor.waitFor(/\bphoenix: (?:\w+ → )?alive \((restarted[^)]*)\)/);
    expect(restarted[1]).toMatch(/^restarted/);
  });

  it('keeps registry and history across a SIGKILL of the monitor and convicts nobody who kept beating', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-store-'));
    const data = path.join(dir, 'history.db');
    const first = track(await startMonitor([...TIMING, '--data', data]));
    // The same ports again: agents keep sending there. A later flag wins over startMonitor's 0s.
    const ports = [
      '--udp-port',
      String(first.udp),
      '--tcp-port',
      String(first.tcp),
      '--http-port',
      String(first.http),
    ];
    const register = await fetch(`http://127.0.0.1:${first.http}/v1/nodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'steady', address: '127.0.0.1', tags: ['db'] }),
    });
    expect(register.status).toBeLessThan(300);
    agent('steady', `udp://127.0.0.1:${first.udp}`);
    await first.waitFor(transition('steady', 'unknown', 'alive'));
    first.child.kill('SIGKILL');
    await first.exited;

    const second = track(await startMonitor([...TIMING, '--data', data, ...ports]));
    // Restored as it was stored: alive, its tags kept; no second `alive` (no hook fires again).
    const node = (await (
      await fetch(`http://127.0.0.1:${second.http}/v1/nodes/steady`)
    ).json()) as { node: { state: string; tags: string[] } };
    expect(node.node.state).toBe('alive');
    expect(node.node.tags).toEqual(['db']);
    const events = await (
      await fetch(`http://127.0.0.1:${second.http}/v1/events?node=steady`)
    ).text();
    expect(events).toContain('alive');
    // A witness crash: once the monitor has convicted it, a false conviction of `steady` would show.
    const witness = agent('witness-2', `udp://127.0.0.1:${second.udp}`);
    await second.waitFor(transition('witness-2', 'unknown', 'alive'));
    witness.child.kill('SIGKILL');
    await second.waitFor(transition('witness-2', 'suspect', 'dead'));
    expect(
      [...first.lines, ...second.lines].some((l) => /steady: \w+ → (suspect|dead)/.test(l)),
    ).toBe(false);
    expect(second.lines.some((l) => /\bsteady: /.test(l))).toBe(false);
  });

  it('convicts nobody for a SIGSTOP of the monitor itself', async () => {
    const monitor = track(await startMonitor([...TIMING, '--data', ':memory:']));
    agent('calm-1', `udp://127.0.0.1:${monitor.udp}`);
    agent('calm-2', `tcp://127.0.0.1:${monitor.tcp}`);
    await monitor.waitFor(transition('calm-1', 'unknown', 'alive'));
    await monitor.waitFor(transition('calm-2', 'unknown', 'alive'));
    monitor.child.kill('SIGSTOP');
    await frozen(2500); // the scenario: the monitor is frozen for 2.5 × (timeout + grace)
    monitor.child.kill('SIGCONT');
    const witness = agent('witness-3', `udp://127.0.0.1:${monitor.udp}`);
    await monitor.waitFor(transition('witness-3', 'unknown', 'alive'));
    witness.child.kill('SIGKILL');
    await monitor.waitFor(transition('witness-3', 'suspect', 'dead'));
    expect(monitor.lines.some((l) => /calm-\d: \w+ → (suspect|dead)/.test(l))).toBe(false);
  });
});

/** Resolves once `file` contains `content`, woken by changes to its directory (no polling). */
function waitForFile(file: string, content: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const holds = () => existsSync(file) && readFileSync(file, 'utf8').includes(content);
    const watcher = watch(path.dirname(file), () => {
      if (holds()) done();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} never contained ${content}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    if (holds()) done();
  });
}
