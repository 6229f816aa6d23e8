/** Monitor.reload (SIGHUP): new settings at once, no transition of their own, bad ones refused. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import type { NodeTransition } from '../../src/membership/types.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { ActionSink } from '../../src/monitor/parts.js';
import type { MonitorConfig } from '../../src/config/types.js';
import { testConfig } from './helpers.js';

const peer = { transport: 'udp' as const, address: '127.0.0.1', port: 1 };

function recordingActions(log: string[]) {
  let made = 0;
  return ({ config }: { config: MonitorConfig }): ActionSink => {
    const name = `runner${++made}(${config.actions.webhooks.join(',')})`;
    return {
      handle: (t) => log.push(`${name} ${t.nodeId} ${t.to}`),
      stats: () =>
        ({
          webhooks: [],
          exec: { started: 0, succeeded: 0, failed: 0, dropped: 0, running: 0, queued: 0 },
        }) as never,
      stop: async () => {
        log.push(`${name} stopped`);
      },
    };
  };
}

async function started() {
  const clock = new ManualClock();
  const log: string[] = [];
  const config = testConfig({ udpPort: null, tcpPort: null, httpPort: null });
  const monitor = new Monitor({ clock, actions: recordingActions(log) }, config);
  const seen: NodeTransition[] = [];
  monitor.on('transition', (t) => seen.push(t));
  await monitor.start();
  return { clock, monitor, seen, log, config };
}

describe('Monitor.reload', () => {
  it('changes the detector of live nodes without a transition, warm and from their real last arrival', async () => {
    const { clock, monitor, seen, config } = await started();
    for (let seq = 1; seq <= 5; seq++) {
      monitor.ingest({ type: 'heartbeat', nodeId: 'a', incarnation: 1, seq }, peer);
      clock.advance(100);
    }
    seen.length = 0;
    const outcome = await monitor.reload({
      ...config,
      detector: { kind: 'timeout', timeoutMs: 2000 },
    });
    expect(outcome).toEqual({ applied: ['detector'], needRestart: [] });
    expect(monitor.table.explain('a')?.detector?.details).toEqual({ timeoutMs: 2000 });
    // Silent from 400 ms: the old detector would suspect at 700, the new one at 2400.
    clock.advance(1800);
    expect(seen).toEqual([]);
    clock.advance(200);
    expect(seen.map((t) => `${t.to} ${t.atMs}`)).toEqual(['suspect 2400']);
    await monitor.stop();
  });

  it('holds convictions for one grace after a reload that makes a deadline due at once', async () => {
    const { clock, monitor, seen, config } = await started();
    monitor.ingest({ type: 'heartbeat', nodeId: 'a', incarnation: 1, seq: 1 }, peer);
    clock.advance(250);
    seen.length = 0;
    await monitor.reload({ ...config, detector: { kind: 'timeout', timeoutMs: 100 } });
    clock.advance(150); // the pause-guard grace is 200 ms in the test configuration
    expect(seen).toEqual([]);
    monitor.ingest({ type: 'heartbeat', nodeId: 'a', incarnation: 1, seq: 2 }, peer);
    clock.advance(50);
    expect(seen).toEqual([]); // heard within the grace: no false suspicion
    await monitor.stop();
  });

  it('swaps the actions after the old runner stopped, and names what needs a restart', async () => {
    const { clock, monitor, log, config } = await started();
    const outcome = await monitor.reload({
      ...config,
      udpPort: 9999,
      deadAfterMs: 900,
      actions: { on: [], webhooks: ['http://127.0.0.1:1/hook'] },
    });
    expect(outcome).toEqual({ applied: ['deadAfterMs', 'actions'], needRestart: ['udpPort'] });
    expect(monitor.config.udpPort).toBeNull(); // kept until a restart
    expect(monitor.config.deadAfterMs).toBe(900);
    monitor.ingest({ type: 'heartbeat', nodeId: 'b', incarnation: 1, seq: 1 }, peer);
    clock.advance(0);
    expect(log).toEqual([
      'runner1() stopped',
      'runner2(http://127.0.0.1:1/hook) b unknown',
      'runner2(http://127.0.0.1:1/hook) b alive',
    ]);
    await monitor.stop();
  });

  it('refuses a configuration the node table cannot take, and keeps the old one whole', async () => {
    const { monitor, config } = await started();
    const bad = {
      ...config,
      deadAfterMs: 1,
      detector: { kind: 'phi-accrual', threshold: -3 },
    } as MonitorConfig;
    await expect(monitor.reload(bad)).rejects.toBeInstanceOf(ConfigError);
    expect(monitor.config).toBe(config);
    expect(monitor.table.explain('x')).toBeUndefined();
    await monitor.stop();
    await expect(monitor.reload(config)).rejects.toThrow('monitor cannot reload: it is stopped');
  });
});
