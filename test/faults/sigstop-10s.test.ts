/**
 * Fault suite: the monitor frozen with SIGSTOP for 10 s while 50 agents keep beating; after
 * SIGCONT nobody who kept beating is suspected, the pause guard saw the stop, and detection
 * still works (a witness killed afterwards is convicted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CliProcess } from '../integration/cli-process.js';
import { freezeMonitor } from './harness.js';

const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('convicts nobody for a 10 s SIGSTOP of the monitor', { timeout: 10_000 + 60_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hb-stop-'));
  dirs.push(dir);
  await expect(freezeMonitor(10_000, running, dir)).resolves.toBeUndefined();
});
