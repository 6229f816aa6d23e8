/**
 * SIGHUP reloads the configuration of a running `heartbeat monitor` process: a good file is
 * applied without a transition, a bad one is refused in one line and the old one stays.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli, startMonitor, type CliProcess } from './cli-process.js';

const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SIGHUP', () => {
  it('applies a new configuration file without a restart or a transition, and refuses a broken one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-reload-'));
    dirs.push(dir);
    const file = path.join(dir, 'heartbeat.yaml');
    writeFileSync(file, 'detector: { kind: timeout, timeoutMs: 500 }\ndeadAfterMs: 500\n');
    const monitor = await startMonitor(['--config', file, '--data', ':memory:']);
    running.push(monitor);
    const agent = startCli([
      'agent',
      '--id',
      'steady',
      '--monitor',
      `udp://127.0.0.1:${monitor.udp}`,
      '--interval',
      '100ms',
      '--jitter',
      '0',
    ]);
    running.push(agent);
    await monitor.waitFor(/steady: unknown → alive/);

    writeFileSync(file, 'detector: { kind: timeout, timeoutMs: 800 }\ndeadAfterMs: 700\n');
    const before = monitor.lines.length;
    monitor.child.kill('SIGHUP');
    await monitor.waitFor(
      /SIGHUP: configuration reloaded \(changed detector, deadAfterMs\)/,
      10_000,
      before,
    );
    const node = (await (
      await fetch(`http://127.0.0.1:${monitor.http}/v1/nodes/steady`)
    ).json()) as {
      evidence: { now: { detector: { details: { timeoutMs: number } } } };
    };
    expect(node.evidence.now.detector.details.timeoutMs).toBe(800);

    writeFileSync(file, 'detector: { kind: timeout, timeoutMs: -1 }\n');
    const mark = monitor.lines.length;
    monitor.child.kill('SIGHUP');
    const refused = await monitor.waitFor(
      /SIGHUP: configuration refused, the old one stays: (.*)$/,
      10_000,
      mark,
    );
    expect(refused[1]).toMatch(/timeoutMs/);
    expect(monitor.child.exitCode).toBeNull(); // still running
    // The old (reloaded) one still in force; the agent was never accused.
    const again = (await (
      await fetch(`http://127.0.0.1:${monitor.http}/v1/nodes/steady`)
    ).json()) as typeof node;
    expect(again.evidence.now.detector.details.timeoutMs).toBe(800);
    expect(monitor.lines.some((l) => /steady: \w+ → (suspect|dead)/.test(l))).toBe(false);
    expect(await monitor.stop('SIGTERM')).toBe(0);
  });
});
