/**
 * The library's defaults and the daemon's `lan` preset agree: a NodeTable built with no options
 * and a monitor started with no configuration detect alike.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_INTERVAL_MS as AGENT_DEFAULT_INTERVAL_MS } from '../../src/agent/agent.js';
import { DEFAULT_PRESET, PRESETS } from '../../src/config/presets.js';
import { ManualClock } from '../../src/core/clock.js';
import { DEFAULT_DETECTOR, DEFAULT_INTERVAL_MS } from '../../src/core/defaults.js';
import { describeDetectorDefaults } from '../../src/detectors/registry.js';
import { NodeTable, type NodeTableOptions } from '../../src/membership/node-table.js';
import type { NodeTransition } from '../../src/membership/types.js';
import { StallWatchdog } from '../../src/monitor/stall-watchdog.js';
import { StallingClock } from '../../src/sim/stalling-clock.js';

const lan = PRESETS.lan;

/** The node table options the monitor makes of a configuration's timing fields. */
const lanTableOptions: NodeTableOptions = {
  detector: lan.detector,
  defaultIntervalMs: lan.defaultIntervalMs,
  deadAfterMs: lan.deadAfterMs,
  startupGraceMs: lan.startupGraceMs,
  pauseToleranceMs: lan.pauseGuard.toleranceMs,
  pauseGraceMs: lan.pauseGuard.graceMs,
};

describe('library defaults and the lan preset', () => {
  it('lan is the default preset', () => {
    expect(DEFAULT_PRESET).toBe('lan');
  });

  it('state the same numbers: interval, detector, dead grace, startup grace, pause guard', () => {
    expect(lan.defaultIntervalMs).toBe(DEFAULT_INTERVAL_MS);
    expect(AGENT_DEFAULT_INTERVAL_MS).toBe(DEFAULT_INTERVAL_MS);
    expect(lan.detector.kind).toBe(DEFAULT_DETECTOR.kind);
    // Every option the preset leaves out or states has the detector's own default value.
    const spec = lan.detector as unknown as Record<string, unknown>;
    for (const row of describeDetectorDefaults(DEFAULT_DETECTOR.kind, DEFAULT_INTERVAL_MS)) {
      expect(spec[row.option] ?? row.value, row.option).toBe(row.value);
    }
    const watchdog = new StallWatchdog({ clock: new ManualClock(), onStall: () => {} });
    expect({ toleranceMs: watchdog.toleranceMs, graceMs: watchdog.graceMs }).toEqual(
      lan.pauseGuard,
    );
  });

  it('detect alike: the same transitions at the same times, with the same evidence', () => {
    const run = (options: NodeTableOptions | undefined): string[] => {
      const clock = new StallingClock();
      const table = new NodeTable({ clock }, options);
      const log: unknown[] = [];
      table.on('transition', (t) => log.push(t));
      table.on('convictions:deferred', (d) => log.push(d));
      table.register('never', {});
      table.register('slow', { intervalMs: DEFAULT_INTERVAL_MS });
      // 'steady' beats with ±10 % jitter, 'crash' stops at 30 s, 'slow' comes back after a gap;
      // at 60 s the monitor stalls for 5 s (the pause guard holds convictions).
      for (let t = 0; t <= 120_000; t += 100) {
        if (t === 60_000) clock.stall(5000);
        else clock.advance(100);
        const now = clock.monotonicMs();
        if (now % 1000 === (Math.floor(now / 1000) % 3) * 100) {
          table.receive({ type: 'heartbeat', nodeId: 'steady', incarnation: 1 });
          if (now < 30_000) table.receive({ type: 'heartbeat', nodeId: 'crash', incarnation: 1 });
          if (now < 10_000 || now > 40_000)
            table.receive({ type: 'heartbeat', nodeId: 'slow', incarnation: 1 });
        }
      }
      return log.map((t) => JSON.stringify(t));
    };
    const library = run(undefined);
    const daemon = run(lanTableOptions);
    expect(daemon).toEqual(library);
    const summary = library.map((line) => {
      const t = JSON.parse(line) as NodeTransition & { untilMs?: number };
      return t.untilMs === undefined ? `${t.nodeId} ${t.from}→${t.to} ${t.reason}` : t.reason;
    });
    expect(summary).toEqual(
      expect.arrayContaining([
        'never unknown→dead never-came-up',
        'crash alive→suspect detector',
        'crash suspect→dead dead-grace-expired',
        'slow alive→suspect detector',
        'slow dead→alive heartbeat',
        'stall',
      ]),
    );
  });
});
