/**
 * Fault suite: two monitors on one history file. The second refuses to start with one line and
 * exit status 2 while the first runs; after the first is killed (SIGKILL leaves its lock file
 * behind) the next one takes the stale lock over and runs.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  monitorArgs,
  startCli,
  startMonitor,
  type CliProcess,
} from '../integration/cli-process.js';

const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('one writer per history file', () => {
  it('refuses a second monitor on the same file, and takes over the lock of a killed one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-lock-'));
    dirs.push(dir);
    const data = path.join(dir, 'history.db');
    const first = await startMonitor(['--data', data]);
    running.push(first);
    expect(existsSync(`${data}.lock`)).toBe(true);

    const second = startCli(monitorArgs(['--data', data]));
    running.push(second);
    expect(await second.exited).toBe(2);
    expect(second.lines.filter((l) => l !== '')).toEqual([
      `heartbeat monitor: history ${data} is in use by another monitor (pid ${first.child.pid}); one monitor per history file`,
    ]);
    // The first one never noticed: still serving.
    expect((await fetch(`http://127.0.0.1:${first.http}/healthz`)).status).toBe(200);

    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(`${data}.lock`)).toBe(true); // left behind by the kill
    const third = await startMonitor(['--data', data]);
    running.push(third);
    expect((await fetch(`http://127.0.0.1:${third.http}/healthz`)).status).toBe(200);
    expect(await third.stop('SIGTERM')).toBe(0);
    expect(existsSync(`${data}.lock`)).toBe(false); // released on a clean stop
  });
});
