/** What the monitor's recorder writes, the trace reader reads back. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { ArrivalRecorder } from '../../../src/monitor/arrival-recorder.js';
import { readTrace } from '../../../src/sim/traces/read-trace.js';

describe('recording round trip', () => {
  it('reads back every arrival the monitor recorded, across a restart, with gaps as losses', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'heartbeat-rec-')), 'arrivals.tsv');
    const clock = new ManualClock({ startMs: 0, wallStartMs: 1_700_000_000_000 });
    const first = new ArrivalRecorder({ clock }, file);
    await first.start();
    for (const seq of [1, 2, 4]) {
      clock.advanceTo(seq * 1000); // heartbeat 3 is lost
      const sentAtMs = clock.wallMs() - 20;
      first.record(
        clock.monotonicMs(),
        { type: 'heartbeat', nodeId: 'a', incarnation: 9, seq, sentAtMs, intervalMs: 1000 },
        1000,
      );
    }
    clock.advance(500);
    first.record(clock.monotonicMs(), { type: 'heartbeat', nodeId: 'plain' }, 2000);
    await first.stop();

    // A restarted monitor: a new monotonic origin, 60 s later on the wall clock.
    const later = new ManualClock({ startMs: 0, wallStartMs: 1_700_000_063_500 });
    const second = new ArrivalRecorder({ clock: later }, file);
    await second.start();
    later.advance(250);
    second.record(later.monotonicMs(), { type: 'heartbeat', nodeId: 'plain' }, 2000);
    await second.stop();

    expect(readTrace(file)).toEqual([
      {
        name: 'arrivals.tsv#a/9',
        intervalMs: 1000,
        startWallMs: 1_700_000_000_980,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 20 },
          { seq: 2, sentMs: 1000, recvMs: 1020 },
          { seq: 3, sentMs: 2000, recvMs: null },
          { seq: 4, sentMs: 3000, recvMs: 3020 },
        ],
      },
      {
        name: 'arrivals.tsv#plain/-',
        intervalMs: 2000,
        startWallMs: 1_700_000_004_500,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 0 },
          { seq: 2, sentMs: 59_250, recvMs: 59_250 },
        ],
      },
    ]);
  });
});
