import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRunner } from '../../src/actions/action-runner.js';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { transition } from '../store/transition-fixture.js';
import { HttpReceiver } from './http-receiver.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('ActionRunner', () => {
  it('sends every transition to every webhook and runs only the rules for the state entered', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-actions-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const a = await HttpReceiver.start(() => ({ status: 200 }));
    const b = await HttpReceiver.start(() => ({ status: 200 }));
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const runner = new ActionRunner(
      { clock: new ManualClock() },
      {
        webhooks: [a.url, b.url],
        on: [
          { state: 'dead', command: 'echo "dead $HEARTBEAT_NODE_ID" >> "$OUT/log"' },
          { state: 'dead', command: 'echo "page $HEARTBEAT_NODE_ID" >> "$OUT/log"' },
          { state: 'alive', command: 'echo "alive $HEARTBEAT_NODE_ID" >> "$OUT/log"' },
        ],
      },
      { exec: { env: { PATH: process.env['PATH'], OUT: dir }, maxConcurrent: 1 } },
    );
    cleanups.push(() => runner.stop());
    const execDone = new Promise<void>((resolve) =>
      runner.exec.events.on('exec:exit', () => runner.exec.stats().started === 2 && resolve()),
    );
    runner.handle(transition({ nodeId: 'x', to: 'suspect' }));
    runner.handle(transition({ nodeId: 'x', from: 'suspect', to: 'dead' }));
    await Promise.all([a.received(2), b.received(2), execDone]);
    expect(readFileSync(path.join(dir, 'log'), 'utf8')).toBe('dead x\npage x\n');
    expect(a.requests.map((r) => (JSON.parse(r.body) as { to: string }).to)).toEqual([
      'suspect',
      'dead',
    ]);
    const stats = runner.stats();
    expect(stats.webhooks.map((w) => w.url)).toEqual([a.url, b.url]);
    expect(stats.exec).toMatchObject({ started: 2, succeeded: 2 });
  });

  it('stops every sink and hook, and rejects a bad webhook URL at construction', async () => {
    const clock = new ManualClock();
    const runner = new ActionRunner(
      { clock },
      { webhooks: ['http://127.0.0.1:9/never'], on: [{ state: 'dead', command: 'sleep 60' }] },
    );
    runner.handle(transition({ to: 'dead' }));
    await runner.stop();
    expect(clock.pendingTimers()).toBe(0);
    const stats = runner.stats();
    expect(stats.webhooks[0]).toMatchObject({ dropped: 1, pending: 0 });
    expect(stats.exec).toMatchObject({ started: 1, failed: 1, running: 0 });
    expect(
      () => new ActionRunner({ clock }, { webhooks: ['mailto:ops@example.com'], on: [] }),
    ).toThrow(ConfigError);
  });
});
