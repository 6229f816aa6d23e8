import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock, type Clock } from '../../src/core/clock.js';
import { ExecHook, type ExecResult } from '../../src/actions/exec-hook.js';
import { transitionDocument } from '../../src/actions/transition-document.js';
import { transition } from '../store/transition-fixture.js';

let dir: string;
const hooks: ExecHook[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hb-exec-'));
});
afterEach(async () => {
  for (const hook of hooks.splice(0)) await hook.stop();
  rmSync(dir, { recursive: true, force: true });
});

function makeHook<C extends Clock = ManualClock>(
  options: ConstructorParameters<typeof ExecHook>[1] = {},
  clock: C = new ManualClock() as unknown as C,
) {
  const hook = new ExecHook(
    { clock },
    { env: { PATH: process.env['PATH'], OUT: dir }, ...options },
  );
  hooks.push(hook);
  return { hook, clock };
}

/** Collects exit events; `exits(n)` resolves once n commands have ended. */
function collectExits(hook: ExecHook) {
  const results: ExecResult[] = [];
  let waiter: { n: number; resolve: () => void } | undefined;
  hook.events.on('exec:exit', (r) => {
    results.push(r);
    if (waiter !== undefined && results.length >= waiter.n) waiter.resolve();
  });
  const exits = (n: number) =>
    new Promise<ExecResult[]>((resolve) => {
      if (results.length >= n) resolve(results);
      else waiter = { n, resolve: () => resolve(results) };
    });
  return { results, exits };
}

function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of readFileSync(file, 'utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

describe('ExecHook', () => {
  it('runs sh -c with the transition in HEARTBEAT_* variables, never in the command text', async () => {
    const { hook } = makeHook();
    const { exits } = collectExits(hook);
    const nodeId = `web'1"; touch "$OUT/injected"; echo '`;
    const t = transition({ nodeId, downForMs: undefined });
    hook.run('env -0 > "$OUT/env"', t);
    const [result] = await exits(1);
    expect(result).toMatchObject({ ok: true, code: 0, signal: null, timedOut: false, nodeId });
    const env = readEnvFile(path.join(dir, 'env'));
    expect(env).toMatchObject({
      HEARTBEAT_NODE_ID: nodeId,
      HEARTBEAT_FROM: 'alive',
      HEARTBEAT_TO: 'suspect',
      HEARTBEAT_REASON: 'detector',
      HEARTBEAT_WALL_MS: '1700000012000',
      HEARTBEAT_TIME: '2023-11-14T22:13:32.000Z',
      HEARTBEAT_DETECTION_MS: '3100',
      HEARTBEAT_DOWN_FOR_MS: '',
      HEARTBEAT_SINCE_LAST_MS: '3100',
      HEARTBEAT_INCARNATION: '7',
      HEARTBEAT_LAST_SEQ: '42',
      HEARTBEAT_LOST: '1',
    });
    expect(JSON.parse(env['HEARTBEAT_EVIDENCE']!)).toEqual(t.evidence);
    expect(JSON.parse(env['HEARTBEAT_TRANSITION']!)).toEqual(
      JSON.parse(JSON.stringify(transitionDocument(t))),
    );
    expect(() => readFileSync(path.join(dir, 'injected'))).toThrow(/ENOENT/);
    expect(hook.stats()).toEqual({
      started: 1,
      succeeded: 1,
      failed: 0,
      timedOut: 0,
      dropped: 0,
      running: 0,
      pending: 0,
    });
  });

  it('counts a non-zero exit as a failure and keeps the tail of its output', async () => {
    const { hook } = makeHook();
    const { exits } = collectExits(hook);
    hook.run(
      'echo starting; head -c 10000 /dev/zero | tr "\\0" x; echo " boom" >&2; exit 3',
      transition(),
    );
    const [result] = await exits(1);
    expect(result).toMatchObject({ ok: false, code: 3, timedOut: false, error: null });
    expect(result!.output.length).toBe(4096);
    expect(result!.output.endsWith('xxx boom\n')).toBe(true);
    expect(hook.stats()).toMatchObject({ started: 1, succeeded: 0, failed: 1 });
  });

  it('kills the whole process group of a command that runs past its timeout', async () => {
    const { hook, clock } = makeHook({ timeoutMs: 5000, killGraceMs: 1000 });
    const { exits } = collectExits(hook);
    // A background child holds the output pipe open: only a group kill ends both.
    hook.run('sleep 60 & sleep 60', transition());
    expect(hook.stats().running).toBe(1);
    clock.advance(4999);
    expect(hook.stats().running).toBe(1);
    clock.advance(1);
    const [result] = await exits(1);
    expect(result).toMatchObject({ ok: false, timedOut: true, code: null, signal: 'SIGTERM' });
    expect(result!.durationMs).toBe(5000);
    expect(hook.stats()).toMatchObject({ failed: 1, timedOut: 1, running: 0 });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('runs at most maxConcurrent at once and drops the oldest waiting beyond maxPending', async () => {
    const { hook } = makeHook({ maxConcurrent: 2, maxPending: 3 }, new SystemClock());
    const { exits } = collectExits(hook);
    const runningSeen: number[] = [];
    hook.events.on('exec:exit', () => runningSeen.push(hook.stats().running));
    const dropped: string[] = [];
    hook.events.on('exec:dropped', (e) => dropped.push(e.nodeId));
    for (let i = 1; i <= 7; i++) {
      hook.run('echo "$HEARTBEAT_NODE_ID" >> "$OUT/order"', transition({ nodeId: `n${i}` }));
    }
    expect(hook.stats()).toMatchObject({ running: 2, pending: 3, dropped: 2 });
    expect(dropped).toEqual(['n3', 'n4']);
    await exits(5);
    expect(Math.max(...runningSeen)).toBeLessThanOrEqual(2);
    const order = readFileSync(path.join(dir, 'order'), 'utf8').trim().split('\n');
    expect(order.sort()).toEqual(['n1', 'n2', 'n5', 'n6', 'n7']);
    expect(hook.stats()).toMatchObject({ started: 5, succeeded: 5, running: 0, pending: 0 });
  });

  it('counts a command that cannot start, and stop() kills running and drops waiting ones', async () => {
    const broken = makeHook({ shell: path.join(dir, 'no-such-shell') }).hook;
    const brokenExits = collectExits(broken).exits;
    broken.run('true', transition());
    const [result] = await brokenExits(1);
    expect(result).toMatchObject({ ok: false, code: null });
    expect(result!.error).toMatch(/ENOENT/);
    expect(broken.stats()).toMatchObject({ started: 1, failed: 1, running: 0 });

    const { hook, clock } = makeHook({ maxConcurrent: 1 });
    hook.run('sleep 60', transition({ nodeId: 'a' }));
    hook.run('sleep 60', transition({ nodeId: 'b' }));
    await hook.stop();
    expect(hook.stats()).toMatchObject({
      started: 1,
      failed: 1,
      dropped: 1,
      running: 0,
      pending: 0,
    });
    expect(clock.pendingTimers()).toBe(0);
    hook.run('true', transition());
    expect(hook.stats()).toMatchObject({ started: 1, dropped: 2 });
  });
});
