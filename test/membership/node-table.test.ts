import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import {
  ConfigError,
  HeartbeatError,
  LimitError,
  UnknownNodeError,
} from '../../src/core/errors.js';
import type { DetectorContext } from '../../src/detectors/detector.js';
import { FixedTimeoutDetector } from '../../src/detectors/fixed-timeout.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { MAX_HEARTBEAT_INTERVAL_MS, MAX_TRANSITIONS_PER_TICK } from '../../src/core/limits.js';
import { NodeTable } from '../../src/membership/node-table.js';
import type { NodeTransition } from '../../src/membership/types.js';
import { checkNodeId } from '../../src/protocol/validate.js';
import { OPTIONS, hb, tableWithLog } from './helpers.js';

describe('NodeTable lifecycle', () => {
  it('an unregistered sender joins, then is alive, with full payloads', () => {
    const clock = new ManualClock({ startMs: 1000, wallStartMs: 5_000_000 });
    const { table, log } = tableWithLog(clock);
    const all: NodeTransition[] = [];
    table.on('transition', (t) => all.push(t));
    expect(
      table.receive(hb('a', { incarnation: 7, seq: 1, intervalMs: 1000 }), {
        address: '10.0.0.1:9',
      }),
    ).toBe('accepted');
    expect(log.map((r) => r.event)).toEqual(['node:joined', 'node:alive']);
    expect(log[0]?.t).toEqual({
      nodeId: 'a',
      from: 'unknown',
      to: 'unknown',
      reason: 'first-heartbeat',
      atMs: 1000,
      wallMs: 5_000_000,
      evidence: { detector: null, sinceLastMs: null, lastSeq: null, incarnation: null, lost: 0 },
    });
    expect(log[1]?.t).toEqual({
      nodeId: 'a',
      from: 'unknown',
      to: 'alive',
      reason: 'first-heartbeat',
      atMs: 1000,
      wallMs: 5_000_000,
      evidence: {
        detector: {
          kind: 'timeout',
          suspicion: 0,
          threshold: 1,
          suspects: false,
          lastArrivalMs: 1000,
          elapsedMs: 0,
          suspectAtMs: 4000,
          details: { timeoutMs: 3000 },
        },
        sinceLastMs: 0,
        lastSeq: 1,
        incarnation: 7,
        lost: 0,
      },
    });
    expect(all).toEqual(log.map((r) => r.t));
    expect(table.get('a')).toMatchObject({
      id: 'a',
      state: 'alive',
      address: '10.0.0.1:9',
      incarnation: 7,
      lastSeq: 1,
      lastArrivalMs: 1000,
      lastArrivalWallMs: 5_000_000,
      heartbeats: 1,
      intervalMs: 1000,
      stateReason: 'first-heartbeat',
      status: 'ALIVE, last heartbeat 0.0 s ago',
    });
  });

  it('alive → suspect at the detector deadline, → dead after deadAfterMs, with detection times', () => {
    const clock = new ManualClock();
    const { table, log, take } = tableWithLog(clock);
    table.receive(hb('a', { incarnation: 1, seq: 1 }));
    take();
    clock.advance(2999);
    expect(take()).toEqual([]);
    clock.advance(1);
    expect(take()).toEqual(['node:suspect a alive→suspect detector @3000']);
    clock.advance(9999);
    expect(take()).toEqual([]);
    expect(table.status('a')).toBe('SUSPECT, no heartbeat for 12.9 s');
    clock.advance(1);
    expect(take()).toEqual(['node:dead a suspect→dead dead-grace-expired @13000']);
    expect(log).toEqual([]);
  });

  it('carries detectionMs and evidence on suspect and dead', () => {
    const clock = new ManualClock();
    const { table, log } = tableWithLog(clock);
    table.receive(hb('a', { incarnation: 1, seq: 1 }));
    table.receive(hb('a', { incarnation: 1, seq: 4 }));
    log.length = 0;
    clock.advance(13_000);
    expect(log.map((r) => r.event)).toEqual(['node:suspect', 'node:dead']);
    const [suspect, dead] = log.map((r) => r.t);
    expect(suspect).toMatchObject({
      from: 'alive',
      to: 'suspect',
      reason: 'detector',
      atMs: 3000,
      detectionMs: 3000,
    });
    expect(suspect?.evidence).toMatchObject({
      sinceLastMs: 3000,
      lastSeq: 4,
      incarnation: 1,
      lost: 2,
    });
    expect(suspect?.evidence.detector).toMatchObject({
      suspects: true,
      suspicion: 1,
      elapsedMs: 3000,
    });
    expect(dead).toMatchObject({
      from: 'suspect',
      to: 'dead',
      reason: 'dead-grace-expired',
      atMs: 13_000,
      detectionMs: 13_000,
    });
    expect(table.status('a')).toBe('FAILED, no heartbeat for 13.0 s');
    expect(table.explain('a')).toMatchObject({ sinceLastMs: 13_000, lastSeq: 4, lost: 2 });
    expect(table.explain('a')?.detector).toMatchObject({
      suspicion: 13_000 / 3000,
      suspects: true,
    });
    expect(table.explain('nope')).toBeUndefined();
    expect(table.counts()).toEqual({ unknown: 0, alive: 0, suspect: 0, dead: 1, left: 0 });
  });

  it('suspect and dead nodes recover on a heartbeat with downForMs', () => {
    const clock = new ManualClock();
    const { table, take, log } = tableWithLog(clock);
    table.receive(hb('a', { incarnation: 1, seq: 1 }));
    clock.advance(4000); // suspect at 3000
    take();
    table.receive(hb('a', { incarnation: 1, seq: 2 }));
    expect(log[0]?.t).toMatchObject({
      from: 'suspect',
      to: 'alive',
      reason: 'heartbeat',
      downForMs: 1000,
    });
    expect(take()).toEqual(['node:recovered a suspect→alive heartbeat @4000']);
    clock.advance(20_000); // suspect at 7000, dead at 17000
    expect(take()).toEqual([
      'node:suspect a alive→suspect detector @7000',
      'node:dead a suspect→dead dead-grace-expired @17000',
    ]);
    table.receive(hb('a', { incarnation: 1, seq: 9 }));
    expect(log[0]?.t).toMatchObject({ from: 'dead', to: 'alive', downForMs: 24_000 - 7000 });
    expect(log[0]?.t.evidence.lost).toBe(6);
    expect(take()).toEqual(['node:recovered a dead→alive heartbeat @24000']);
  });

  it('duplicates and stale heartbeats are counted and never refresh liveness', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.receive(hb('a', { incarnation: 1, seq: 5 }));
    clock.advance(2000);
    expect(table.receive(hb('a', { incarnation: 1, seq: 5 }))).toBe('duplicate');
    clock.advance(500);
    expect(table.receive(hb('a', { incarnation: 1, seq: 3 }))).toBe('stale');
    expect(table.receive(hb('a', { incarnation: 0, seq: 9 }))).toBe('stale');
    take();
    clock.advance(500);
    expect(take()).toEqual(['node:suspect a alive→suspect detector @3000']);
    expect(table.get('a')).toMatchObject({
      duplicates: 1,
      stale: 2,
      heartbeats: 1,
      lastSeq: 5,
      lastArrivalMs: 0,
    });
    expect(table.counters()).toMatchObject({ duplicates: 1, stale: 2 });
  });

  it('messages without seq always refresh', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.receive(hb('a'));
    clock.advance(2000);
    expect(table.receive(hb('a'))).toBe('accepted');
    take();
    clock.advance(2999);
    expect(take()).toEqual([]);
    clock.advance(1);
    expect(take()).toEqual(['node:suspect a alive→suspect detector @5000']);
  });

  it('a new incarnation is a restart: seq tracking and the detector start over', () => {
    const clock = new ManualClock();
    const { table, log, take } = tableWithLog(clock);
    table.receive(hb('a', { incarnation: 1, seq: 1 }));
    table.receive(hb('a', { incarnation: 1, seq: 10 }));
    expect(table.get('a')?.lost).toBe(8);
    take();
    clock.advance(1000);
    expect(table.receive(hb('a', { incarnation: 2, seq: 1, intervalMs: 2000 }))).toBe('accepted');
    expect(log[0]?.t).toMatchObject({
      from: 'alive',
      to: 'alive',
      reason: 'restarted',
      atMs: 1000,
    });
    expect(log[0]?.t.evidence).toMatchObject({ incarnation: 2, lastSeq: 1, lost: 0 });
    // A new detector: its history starts at the restart.
    expect(log[0]?.t.evidence.detector).toMatchObject({ lastArrivalMs: 1000, suspectAtMs: 4000 });
    expect(take()).toEqual(['node:restarted a alive→alive restarted @1000']);
    expect(table.receive(hb('a', { incarnation: 1, seq: 11 }))).toBe('stale');
    expect(table.get('a')).toMatchObject({ incarnation: 2, lastSeq: 1, lost: 0, intervalMs: 2000 });
    clock.advance(20_000);
    take();
    // Dead, then back with a lower incarnation (the sender's source went backwards): a restart.
    table.receive(hb('a', { incarnation: 1, seq: 1 }));
    expect(log[0]?.t).toMatchObject({
      from: 'dead',
      to: 'alive',
      reason: 'restarted',
      downForMs: 17_000,
    });
  });

  it('leave → left with no failure; a later heartbeat brings it back as joined and alive', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.receive(hb('a', { incarnation: 1, seq: 1 }));
    table.receive(hb('a', { incarnation: 1, seq: 2 }));
    take();
    clock.advance(500);
    expect(table.receive({ type: 'leave', nodeId: 'a', incarnation: 1, seq: 3 })).toBe('left');
    expect(take()).toEqual(['node:left a alive→left leave @500']);
    expect(table.receive({ type: 'leave', nodeId: 'a', incarnation: 1, seq: 3 })).toBe('stale');
    // A heartbeat the leave overtook is stale.
    expect(table.receive(hb('a', { incarnation: 1, seq: 2 }))).toBe('stale');
    clock.advance(100_000);
    expect(take()).toEqual([]);
    expect(table.status('a')).toBe('LEFT 1 min 40 s ago');
    expect(clock.pendingTimers()).toBe(0);
    table.receive(hb('a', { incarnation: 2, seq: 1 }));
    expect(take()).toEqual([
      'node:joined a left→unknown heartbeat @100500',
      'node:alive a unknown→alive first-heartbeat @100500',
    ]);
    expect(table.get('a')).toMatchObject({ state: 'alive', incarnation: 2, lastSeq: 1, lost: 0 });
    expect(table.receive({ type: 'leave', nodeId: 'zz' })).toBe('stale');
  });

  it('a registered node never heard from is dead after the startup grace', () => {
    const clock = new ManualClock();
    const { table, log, take } = tableWithLog(clock);
    const snap = table.register('b', { address: 'h:1', tags: ['db'], intervalMs: 500 });
    expect(snap).toMatchObject({
      state: 'unknown',
      tags: ['db'],
      intervalMs: 500,
      status: 'no heartbeat received yet',
    });
    expect(take()).toEqual(['node:joined b unknown→unknown registered @0']);
    // Idempotent: updates, no event.
    table.register('b', { tags: ['db', 'eu'] });
    expect(take()).toEqual([]);
    expect(table.get('b')?.tags).toEqual(['db', 'eu']);
    clock.advance(29_999);
    expect(take()).toEqual([]);
    clock.advance(1);
    expect(log[0]?.t).toMatchObject({
      reason: 'never-came-up',
      evidence: { detector: null, sinceLastMs: null },
    });
    expect(log[0]?.t.detectionMs).toBeUndefined();
    expect(take()).toEqual(['node:dead b unknown→dead never-came-up @30000']);
    expect(table.status('b')).toBe('FAILED, no heartbeat received');
    clock.advance(1000);
    table.receive(hb('b', { incarnation: 1, seq: 1 }));
    expect(log[0]?.t).toMatchObject({ downForMs: 1000 });
    expect(take()).toEqual(['node:recovered b dead→alive first-heartbeat @31000']);
    expect(table.get('b')?.intervalMs).toBe(500);
    clock.advance(3000);
    expect(take()).toEqual(['node:suspect b alive→suspect detector @34000']);
  });

  it('a registered node heard in time is alive', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.register('b');
    clock.advance(100);
    table.receive(hb('b'));
    expect(take()).toEqual([
      'node:joined b unknown→unknown registered @0',
      'node:alive b unknown→alive first-heartbeat @100',
    ]);
    expect(table.get('b')?.stateReason).toBe('first-heartbeat');
  });

  it('reportFailure convicts at once with a note; a heartbeat recovers', () => {
    const clock = new ManualClock();
    const { table, log, take } = tableWithLog(clock);
    table.receive(hb('a'));
    take();
    clock.advance(400);
    expect(table.reportFailure('a', 'disk full')).toBe(true);
    expect(log[0]?.t).toMatchObject({
      from: 'alive',
      to: 'dead',
      reason: 'reported-failure',
      note: 'disk full',
      detectionMs: 400,
    });
    expect(take()).toEqual(['node:dead a alive→dead reported-failure @400']);
    expect(table.status('a')).toBe('FAILED (reported), last heartbeat 0.4 s ago');
    expect(table.reportFailure('a')).toBe(true);
    expect(take()).toEqual([]);
    expect(table.reportFailure('nope')).toBe(false);
    clock.advance(100_000);
    expect(take()).toEqual([]);
    table.receive(hb('a'));
    expect(take()).toEqual(['node:recovered a dead→alive heartbeat @100400']);
  });

  it('restore brings a node back without node:joined, keeping its incarnation and seq', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.restore({
      id: 'r',
      address: 'h:2',
      tags: ['x'],
      incarnation: 5,
      lastSeq: 40,
      intervalMs: 1000,
    });
    expect(take()).toEqual([]);
    expect(table.get('r')).toMatchObject({
      state: 'unknown',
      incarnation: 5,
      lastSeq: 40,
      address: 'h:2',
    });
    expect(table.receive(hb('r', { incarnation: 5, seq: 40 }))).toBe('duplicate');
    expect(table.receive(hb('r', { incarnation: 5, seq: 39 }))).toBe('stale');
    expect(table.receive(hb('r', { incarnation: 5, seq: 41 }))).toBe('accepted');
    expect(take()).toEqual(['node:alive r unknown→alive first-heartbeat @0']);
    table.restore({ id: 'q' });
    clock.advance(30_000);
    expect(take()).toEqual([
      'node:suspect r alive→suspect detector @3000',
      'node:dead r suspect→dead dead-grace-expired @13000',
      'node:dead q unknown→dead never-came-up @30000',
    ]);
  });

  it('remove emits node:removed and forgets the deadline', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.receive(hb('a'));
    table.receive(hb('b'));
    take();
    expect(table.remove('a')).toBe(true);
    expect(table.remove('a')).toBe(false);
    expect(take()).toEqual(['node:removed a alive→alive removed @0']);
    expect(table.size).toBe(1);
    clock.advance(3000);
    expect(take()).toEqual(['node:suspect b alive→suspect detector @3000']);
    expect(table.get('a')).toBeUndefined();
    expect(() => table.status('a')).toThrow(UnknownNodeError);
    // The freed slot is reused cleanly.
    table.receive(hb('c', { incarnation: 3, seq: 9 }));
    expect(table.get('c')).toMatchObject({
      state: 'alive',
      heartbeats: 1,
      incarnation: 3,
      lastSeq: 9,
      lost: 0,
    });
    expect(table.list().map((n) => n.id)).toEqual(['b', 'c']);
    expect(table.counts()).toEqual({ unknown: 0, alive: 1, suspect: 1, dead: 0, left: 0 });
  });
});

describe('NodeTable sequence numbers (arrival.ts rules)', () => {
  const MAX_SEQ = 0xffff_ffff;
  /** The real agent: incarnation 7, one heartbeat a second from `seq`, under the default detector. */
  function agent(table: NodeTable, clock: ManualClock, from: number, count: number): string[] {
    const outcomes: string[] = [];
    for (let seq = from; seq < from + count; seq++) {
      clock.advance(1000);
      outcomes.push(table.receive(hb('a', { incarnation: 7, seq, intervalMs: 1000 })));
    }
    return outcomes;
  }

  it('a forged seq 4294967295 does not lock out the real sender: it stays alive', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock, {});
    expect(agent(table, clock, 1, 10)).toEqual(Array(10).fill('accepted'));
    take();
    expect(table.receive(hb('a', { incarnation: 7, seq: MAX_SEQ, intervalMs: 1000 }))).toBe(
      'stale',
    );
    expect(agent(table, clock, 11, 60)).toEqual(Array(60).fill('accepted'));
    clock.advance(500);
    expect(take()).toEqual([]);
    expect(table.get('a')).toMatchObject({ state: 'alive', lastSeq: 70, lost: 0, stale: 1 });
  });

  it('a forged seq adopted first is re-synced by the real sender before suspicion', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock, {});
    table.register('a', { intervalMs: 1000 });
    // The forger speaks first: its seq is adopted, as any first seq is.
    expect(table.receive(hb('a', { incarnation: 7, seq: MAX_SEQ, intervalMs: 1000 }))).toBe(
      'accepted',
    );
    take();
    // The real agent is at seq 5000: far ahead of the forged seq, too far for the time since.
    expect(agent(table, clock, 5000, 3)).toEqual(['seq-jump', 'seq-jump', 'accepted']);
    expect(agent(table, clock, 5003, 60)).toEqual(Array(60).fill('accepted'));
    clock.advance(500);
    expect(take()).toEqual([]);
    expect(table.get('a')).toMatchObject({ state: 'alive', lastSeq: 5062, lost: 0 });
    expect(table.counters()).toMatchObject({ seqJumps: 2, resyncs: 1, stale: 0 });
  });

  it('a node whose newest seq is far ahead of its sender recovers after SEQ_RESYNC_RUN', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock, {});
    // An hour-long silence allows a jump of 7216: a forger uses it.
    agent(table, clock, 1, 5);
    clock.advance(3_600_000);
    take();
    expect(table.receive(hb('a', { incarnation: 7, seq: 7000 }))).toBe('accepted');
    expect(take()).toEqual(['node:recovered a dead→alive heartbeat @3605000']);
    // The real sender's next seqs are all older: three in a row re-sync it.
    expect(agent(table, clock, 3606, 3)).toEqual(['stale', 'stale', 'accepted']);
    expect(agent(table, clock, 3609, 30)).toEqual(Array(30).fill('accepted'));
    clock.advance(500);
    expect(take()).toEqual([]);
    expect(table.get('a')).toMatchObject({ state: 'alive', lastSeq: 3638, stale: 2 });
    expect(table.counters()).toMatchObject({ resyncs: 1 });
  });

  it('a sender whose seq wraps at 2^32 goes on, losses counted across the wrap', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock, {});
    expect(agent(table, clock, MAX_SEQ - 2, 3)).toEqual(Array(3).fill('accepted'));
    clock.advance(1000);
    expect(table.receive(hb('a', { incarnation: 7, seq: 1 }))).toBe('accepted');
    expect(agent(table, clock, 2, 20)).toEqual(Array(20).fill('accepted'));
    expect(table.receive(hb('a', { incarnation: 7, seq: MAX_SEQ }))).toBe('stale');
    take();
    clock.advance(500);
    expect(take()).toEqual([]);
    expect(table.get('a')).toMatchObject({ state: 'alive', lastSeq: 21, lost: 1, stale: 1 });
  });

  it('a seq jump is refused, counted and changes nothing', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.receive(hb('a', { incarnation: 1, seq: 10 }));
    take();
    clock.advance(1000);
    const before = table.get('a');
    const jump = { ...hb('a', { incarnation: 1, seq: 10 + 19 }), payload: { x: 1 } };
    expect(table.receive(jump)).toBe('seq-jump');
    expect(table.receive({ type: 'leave', nodeId: 'a', incarnation: 1, seq: 2_000_000 })).toBe(
      'left',
    );
    expect(table.get('a')).toMatchObject({
      lastSeq: 10,
      heartbeats: before?.heartbeats,
      lastArrivalMs: 0,
      payload: null,
      stale: 0,
      duplicates: 0,
    });
    expect(table.counters()).toMatchObject({ seqJumps: 1, stale: 0 });
    // Within the bound (2 s since: 16 + 4) the same step is accepted.
    clock.advance(1000);
    expect(take()).toEqual(['node:left a alive→left leave @1000']);
    expect(table.receive(hb('a', { incarnation: 1, seq: 29 }))).toBe('accepted');
    expect(table.get('a')).toMatchObject({ state: 'alive', lastSeq: 29 });
  });
});

describe('NodeTable limits and bad input', () => {
  it('a full table rejects new senders and registrations, without state change', () => {
    const clock = new ManualClock();
    const table = new NodeTable({ clock }, { ...OPTIONS, maxNodes: 2 });
    table.receive(hb('a'));
    table.register('b');
    expect(table.receive(hb('c'))).toBe('rejected-limit');
    expect(() => table.register('c')).toThrow(LimitError);
    expect(() => table.restore({ id: 'c' })).toThrow(LimitError);
    expect(table.size).toBe(2);
    expect(table.get('c')).toBeUndefined();
    expect(table.receive(hb('a'))).toBe('accepted');
    expect(table.counters().rejectedLimit).toBe(1);
  });

  it('malformed messages are counted and change nothing', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.receive(hb('a', { incarnation: 1, seq: 1 }));
    take();
    const bad = [
      hb(''),
      hb('x'.repeat(256)),
      hb('a', { incarnation: 1, seq: -1 }),
      hb('a', { incarnation: 1.5, seq: 2 }),
      hb('a', { incarnation: 1, seq: 2 ** 32 }),
      hb('a', { incarnation: 1, seq: 2, intervalMs: 0 }),
      { type: 'ping', nodeId: 'a' } as never,
      { type: 'heartbeat', nodeId: 42 } as never,
    ];
    for (const m of bad) expect(table.receive(m)).toBe('rejected-invalid');
    expect(take()).toEqual([]);
    expect(table.size).toBe(1);
    expect(table.get('a')).toMatchObject({ heartbeats: 1, lastSeq: 1 });
    expect(table.counters().rejectedInvalid).toBe(bad.length);
    expect(() => table.register('')).toThrow(ConfigError);
    expect(() => table.register('n', { intervalMs: -1 })).toThrow(ConfigError);
    for (const intervalMs of [1e12, MAX_HEARTBEAT_INTERVAL_MS + 1, 1500.5]) {
      expect(() => table.register('n', { intervalMs }), String(intervalMs)).toThrow(
        /intervalMs must be an integer number of ms in \[1, 86400000\]/,
      );
      expect(table.receive(hb('n', { intervalMs }))).toBe('rejected-invalid');
    }
    expect(table.get('n')).toBeUndefined();
    expect(table.register('n', { intervalMs: MAX_HEARTBEAT_INTERVAL_MS }).intervalMs).toBe(
      MAX_HEARTBEAT_INTERVAL_MS,
    );
    expect(() => new NodeTable({ clock }, { defaultIntervalMs: 1e9 })).toThrow(ConfigError);
    expect(() => new NodeTable({ clock }, { pauseToleranceMs: NaN })).toThrow(ConfigError);
  });

  it('node ids follow the protocol rule (checkNodeId) in register and receive alike', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    for (const id of ['a b', 'x\ty', 'zero\u200bwidth', '\ud800']) {
      expect(checkNodeId(id), id).toBeDefined();
      expect(() => table.register(id), id).toThrow(ConfigError);
      expect(table.receive(hb(id, { incarnation: 1, seq: 1 })), id).toBe('rejected-invalid');
      expect(table.receive({ type: 'leave', nodeId: id }), id).toBe('rejected-invalid');
    }
    expect(() => table.register('a b')).toThrow(/invalid node id: node id contains whitespace/);
    expect(table.size).toBe(0);
    expect(take()).toEqual([]);
    expect(table.counters().rejectedInvalid).toBe(8);
    // What the protocol accepts, the table accepts.
    expect(checkNodeId('web-1.example.com:9000')).toBeUndefined();
    expect(table.register('web-1.example.com:9000').state).toBe('unknown');
    expect(table.receive(hb('ünïcode-1'))).toBe('accepted');
  });

  it('a throwing listener neither stops other listeners nor the table', () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    const table = new NodeTable({ clock }, { ...OPTIONS, onListenerError: (e) => errors.push(e) });
    const seen: string[] = [];
    table.on('node:alive', () => {
      throw new Error('boom');
    });
    table.on('node:alive', (t) => seen.push(t.nodeId));
    expect(table.receive(hb('a'))).toBe('accepted');
    expect(seen).toEqual(['a']);
    expect(errors).toHaveLength(1);
    expect(table.counters().listenerErrors).toBe(1);
    expect(table.get('a')?.state).toBe('alive');
  });

  it('stop cancels the timer and refuses work', () => {
    const clock = new ManualClock();
    const { table, take } = tableWithLog(clock);
    table.receive(hb('a'));
    expect(clock.pendingTimers()).toBe(1);
    table.stop();
    expect(clock.pendingTimers()).toBe(0);
    take();
    expect(table.receive(hb('a'))).toBe('rejected-stopped');
    expect(() => table.register('b')).toThrow(HeartbeatError);
    clock.advance(60_000);
    expect(take()).toEqual([]);
  });
});

describe('NodeTable detectors and timers', () => {
  it('creates detectors from detectorFor/detector with the right interval', () => {
    const clock = new ManualClock();
    const made: { spec: DetectorSpec; context: DetectorContext }[] = [];
    const table = new NodeTable(
      {
        clock,
        createDetector: (spec, context) => {
          made.push({ spec, context });
          return new FixedTimeoutDetector(spec.kind === 'timeout' ? spec : {}, context);
        },
      },
      {
        detector: { kind: 'phi-accrual' },
        defaultIntervalMs: 700,
        detectorFor: (id, tags) =>
          tags.includes('wan') || id.startsWith('eu-')
            ? { kind: 'timeout', timeoutMs: 9000 }
            : undefined,
      },
    );
    // The default spec is tried once at construction.
    expect(made).toEqual([{ spec: { kind: 'phi-accrual' }, context: { intervalMs: 700 } }]);
    made.length = 0;
    table.receive(hb('plain'));
    table.receive(hb('eu-1', { intervalMs: 2000 }));
    table.register('w', { tags: ['wan'], intervalMs: 5000 });
    table.receive(hb('w'));
    expect(made).toEqual([
      { spec: { kind: 'phi-accrual' }, context: { intervalMs: 700 } },
      { spec: { kind: 'timeout', timeoutMs: 9000 }, context: { intervalMs: 2000 } },
      { spec: { kind: 'timeout', timeoutMs: 9000 }, context: { intervalMs: 5000 } },
    ]);
  });

  it('uses the registry by default; a spec it refuses falls back to the default', () => {
    const clock = new ManualClock();
    expect(
      () => new NodeTable({ clock }, { detector: { kind: 'phi-accrual', threshold: -1 } }),
    ).toThrow(ConfigError);
    const table = new NodeTable(
      { clock },
      {
        detectorFor: (id) => {
          if (id === 'bad') return { kind: 'timeout', timeoutMs: -5 };
          if (id === 'throws') throw new Error('no');
          return undefined;
        },
      },
    );
    const kinds: string[] = [];
    table.on('node:alive', (t) => kinds.push(`${t.nodeId}:${t.evidence.detector?.kind}`));
    for (const id of ['ok', 'bad', 'throws']) expect(table.receive(hb(id))).toBe('accepted');
    expect(kinds).toEqual(['ok:phi-accrual', 'bad:phi-accrual', 'throws:phi-accrual']);
    expect(table.counters().detectorErrors).toBe(2);
  });

  it('keeps one clock timer for 10 000 nodes', () => {
    const clock = new ManualClock();
    const { table } = tableWithLog(clock);
    let maxTimers = 0;
    for (let i = 0; i < 10_000; i++) {
      table.receive(hb(`n${i}`, { incarnation: 1, seq: 1 }));
      if (i % 7 === 0) clock.advance(1);
      maxTimers = Math.max(maxTimers, clock.pendingTimers());
    }
    for (let round = 2; round < 6; round++) {
      for (let i = 0; i < 10_000; i += 2) {
        table.receive(hb(`n${i}`, { incarnation: 1, seq: round }));
        if (i % 50 === 0) clock.advance(10);
        maxTimers = Math.max(maxTimers, clock.pendingTimers());
      }
    }
    clock.advance(60_000);
    expect(maxTimers).toBe(1);
    expect(table.counts()).toEqual({ unknown: 0, alive: 0, suspect: 0, dead: 10_000, left: 0 });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('processes at most MAX_TRANSITIONS_PER_TICK per callback and continues right after', () => {
    const clock = new ManualClock();
    const armedAt: [number, number][] = [];
    const setTimeout = clock.setTimeout.bind(clock);
    clock.setTimeout = (fn, delayMs) => {
      armedAt.push([clock.monotonicMs(), delayMs]);
      return setTimeout(fn, delayMs);
    };
    const { table } = tableWithLog(clock);
    for (let i = 0; i < 25_000; i++) table.receive(hb(`n${i}`));
    let seenBeforeYield = 0;
    table.on('node:suspect', () => {
      if (armedAt.length === 1) seenBeforeYield++;
    });
    clock.advance(3000);
    expect(seenBeforeYield).toBe(MAX_TRANSITIONS_PER_TICK);
    // Two continuations, armed with no delay at 3000, then the dead deadline.
    expect(armedAt).toEqual([
      [0, 3000],
      [3000, 0],
      [3000, 0],
      [3000, 10_000],
    ]);
    expect(table.counts().suspect).toBe(25_000);
    expect(table.counters().stalls).toBe(0);
  });
});
