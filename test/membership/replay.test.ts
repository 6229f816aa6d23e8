/**
 * Replays at the node table: a captured heartbeat or leave sent again, or later. Leaves obey the
 * replay rules of heartbeats; authenticated messages (authKeyId set by the decoder) never re-sync
 * a node and a captured heartbeat of an earlier process is not a restart (arrival.ts).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Message } from '../../src/protocol/message.js';
import { tableWithLog } from './helpers.js';

const WALL = 1_700_000_000_000;

/** A message as the agent composes it at `clock`'s wall time; `signed` marks it authenticated. */
function message(
  clock: ManualClock,
  type: Message['type'],
  incarnation: number,
  seq: number,
  signed: boolean,
): Message {
  const m: Message = {
    type,
    nodeId: 'a',
    incarnation,
    seq,
    sentAtMs: clock.wallMs(),
    intervalMs: 1000,
  };
  if (signed) m.authKeyId = 1;
  return m;
}

describe('replayed leaves', () => {
  it.each([false, true])(
    'a leave with an old seq is refused; the killed node is dead, never left (signed: %s)',
    (signed) => {
      const clock = new ManualClock({ wallStartMs: WALL });
      const { table, take } = tableWithLog(clock);
      const captured: Message[] = [];
      for (let seq = 1; seq <= 40; seq++) {
        const m = message(clock, 'heartbeat', 1, seq, signed);
        if (seq === 12) captured.push({ ...m, type: 'leave' });
        expect(table.receive(m)).toBe('accepted');
        clock.advance(1000);
      }
      take();
      // The node is SIGKILLed now. An attacker sends the leave it made of seq 12, and seq 40 again.
      expect(table.receive(captured[0] as Message)).toBe('stale');
      expect(table.receive(message(clock, 'leave', 1, 40, signed))).toBe('duplicate');
      expect(table.get('a')).toMatchObject({
        state: 'alive',
        lastSeq: 40,
        stale: 1,
        duplicates: 1,
      });
      clock.advance(20_000);
      expect(take()).toEqual([
        'node:suspect a alive→suspect detector @42000',
        'node:dead a suspect→dead dead-grace-expired @52000',
      ]);
      // A leave of an earlier incarnation does not turn the dead node into a left one either.
      expect(table.receive(message(clock, 'leave', 0, 99, signed))).toBe('stale');
      expect(table.get('a')?.state).toBe('dead');
    },
  );

  it('the real leave (the next seq) still applies', () => {
    const clock = new ManualClock({ wallStartMs: WALL });
    const { table, take } = tableWithLog(clock);
    table.receive(message(clock, 'heartbeat', 1, 1, true));
    take();
    expect(table.receive(message(clock, 'leave', 1, 2, true))).toBe('left');
    expect(take()).toEqual(['node:left a alive→left leave @0']);
    expect(table.get('a')?.lastSeq).toBe(2);
  });
});

describe('replayed authenticated heartbeats', () => {
  it('a run of old heartbeats in order never re-syncs a node, as it would unauthenticated', () => {
    for (const signed of [false, true]) {
      const clock = new ManualClock({ wallStartMs: WALL });
      const { table } = tableWithLog(clock);
      const captured: Message[] = [];
      for (let seq = 1; seq <= 20; seq++) {
        const m = message(clock, 'heartbeat', 1, seq, signed);
        captured.push(m);
        table.receive(m);
        clock.advance(100);
      }
      const outcomes = captured.slice(5, 10).map((m) => table.receive(m));
      if (signed) {
        expect(outcomes).toEqual(Array(5).fill('stale'));
        expect(table.get('a')?.lastSeq).toBe(20);
        expect(table.counters().resyncs).toBe(0);
      } else {
        // Unauthenticated, the third in order re-syncs (a forger costs the sender 3 heartbeats).
        expect(outcomes.slice(0, 3)).toEqual(['stale', 'stale', 'accepted']);
        expect(table.counters().resyncs).toBe(1);
      }
    }
  });

  it('the same captured heartbeat sent 100 times is refused 100 times', () => {
    const clock = new ManualClock({ wallStartMs: WALL });
    const { table } = tableWithLog(clock);
    const old = message(clock, 'heartbeat', 1, 1, true);
    table.receive(old);
    clock.advance(1000);
    table.receive(message(clock, 'heartbeat', 1, 2, true));
    const outcomes = new Set(Array.from({ length: 100 }, () => table.receive(old)));
    expect([...outcomes]).toEqual(['stale']);
    expect(table.get('a')).toMatchObject({ lastSeq: 2, heartbeats: 2, stale: 100 });
  });

  it('a captured heartbeat of an earlier process does not restart a dead node', () => {
    const clock = new ManualClock({ wallStartMs: WALL });
    const { table, take } = tableWithLog(clock);
    const earlier = message(clock, 'heartbeat', 5, 1, true);
    table.receive(earlier);
    clock.advance(1000);
    // The process restarts (a higher incarnation), beats, and is killed.
    table.receive(message(clock, 'heartbeat', 6, 1, true));
    clock.advance(30_000);
    take();
    expect(table.get('a')?.state).toBe('dead');
    expect(table.receive(earlier)).toBe('stale');
    expect(table.get('a')).toMatchObject({ state: 'dead', incarnation: 6 });
    // Unauthenticated, a lower incarnation of a dead node is taken as a restart (lockout rule).
    expect(table.receive({ ...earlier, authKeyId: undefined })).toBe('accepted');
    expect(take()).toEqual(['node:restarted a dead→alive restarted @31000']);
  });

  it('a signed lower incarnation sent after the node was last heard is a restart', () => {
    const clock = new ManualClock({ wallStartMs: WALL });
    const { table, take } = tableWithLog(clock);
    table.receive(message(clock, 'heartbeat', 9, 1, true));
    clock.advance(30_000);
    take();
    // The sender's incarnation went backwards (its clock was stepped back): still let in.
    expect(table.receive(message(clock, 'heartbeat', 3, 1, true))).toBe('accepted');
    expect(take()).toEqual(['node:restarted a dead→alive restarted @30000']);
  });
});
