/**
 * Fault suite: the history cannot be written (the monitor's file-size limit, RLIMIT_FSIZE, set
 * below the WAL's size while it runs: every write fails as on a full disk). The monitor says
 * so, keeps detecting and announcing, and once writes succeed again it stores everything it
 * announced meanwhile, in order.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { BIN } from '../integration/built-cli.js';
import {
  monitorArgs,
  monitorPorts,
  watchProcess,
  type CliProcess,
} from '../integration/cli-process.js';
import {
  change,
  counts,
  history,
  record,
  startFleet,
  TIMING,
  until,
  type Monitor,
} from './harness.js';

const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A monitor whose writes past the file-size limit fail with EFBIG instead of killing it. */
async function monitorIgnoringXfsz(data: string): Promise<Monitor> {
  const args = monitorArgs([...TIMING, '--quiet', '--data', data]);
  // An ignored signal stays ignored across exec: SIGXFSZ would otherwise end the process.
  const child = spawn(
    '/bin/sh',
    ['-c', 'trap "" XFSZ; exec "$@"', 'sh', process.execPath, BIN, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return monitorPorts(watchProcess(child));
}

function setFileSizeLimit(pid: number, limit: string): void {
  const result = spawnSync('prlimit', ['--pid', String(pid), `--fsize=${limit}:unlimited`], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`prlimit failed: ${result.stderr}`);
}

it(
  'keeps detecting while the history cannot be written, says so, and stores it all afterwards',
  { timeout: 90_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-full-'));
    dirs.push(dir);
    const monitor = await monitorIgnoringXfsz(path.join(dir, 'history.db'));
    running.push(monitor);
    const seen = await record(monitor);
    const steady = await startFleet(monitor.udp, 'steady-', 20);
    const burst = await startFleet(monitor.udp, 'burst-', 200);
    running.push(steady, burst);
    await until(async () => (await counts(monitor)).alive === 220, 30_000, '220 alive');
    const storedBefore = (await history(monitor)).length;

    setFileSizeLimit(monitor.child.pid as number, '1024'); // every write to the WAL now fails
    const mark = monitor.lines.length;
    burst.child.kill('SIGKILL');
    await monitor.waitFor(
      /cannot write history .*: .*; still detecting, keeping what it announces for a retry/,
      30_000,
      mark,
    );
    // Still detecting and announcing: the whole burst is convicted while nothing can be stored.
    await until(
      () => seen.frames.filter((f) => f.event === 'node:dead').length === 200,
      30_000,
      '200 dead announced',
    );
    const duringOutage = seen.frames.filter(
      (f) => f.event === 'node:suspect' || f.event === 'node:dead',
    );
    expect(duringOutage.some((f) => f.id === null)).toBe(true);

    setFileSizeLimit(monitor.child.pid as number, 'unlimited');
    await monitor.waitFor(/history .* writable again; stored \d+ kept entries/, 60_000, mark);
    const stored = await history(monitor);
    // Everything announced is stored, in the order announced, nothing twice.
    const announced = seen.frames
      .filter((f) => f.event.startsWith('node:'))
      .map((f) => change(f.data));
    const storedChanges = stored.slice(storedBefore).map(change);
    expect(storedChanges).toEqual(announced.slice(announced.length - storedChanges.length));
    for (const c of announced) expect(stored.map(change)).toContain(c);
    expect(stored.filter((r) => r.nodeId.startsWith('burst-') && r.to === 'dead')).toHaveLength(
      200,
    );
    expect(
      stored.filter(
        (r) => r.nodeId.startsWith('steady-') && r.to !== 'alive' && r.to !== 'unknown',
      ),
    ).toEqual([]);
    seen.close();
  },
);
