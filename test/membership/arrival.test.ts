import { describe, expect, it } from 'vitest';
import { SEQ_JUMP_SLACK, SEQ_RESYNC_RUN } from '../../src/core/limits.js';
import {
  allowedSeqJump,
  classifyArrival,
  classifyLeave,
  seqAhead,
  type ArrivalHistory,
} from '../../src/membership/arrival.js';
import type { NodeState } from '../../src/membership/types.js';

const MAX = 0xffff_ffff;

/** A node heard 1 s ago at a 1 s interval, with no run of refused heartbeats, unless told. */
const node = (
  state: NodeState,
  incarnation: number | null,
  lastSeq: number | null,
  more: Partial<ArrivalHistory> = {},
): ArrivalHistory => ({
  state,
  incarnation,
  lastSeq,
  sinceLastMs: 1000,
  intervalMs: 1000,
  refusedRun: 0,
  refusedRunSeq: 0,
  newestWallMs: null,
  ...more,
});

/** A node whose last `run` heartbeats were refused, the newest of them with seq `runSeq`. */
const refused = (
  lastSeq: number,
  run: number,
  runSeq: number,
  more: Partial<ArrivalHistory> = {},
) => node('alive', 7, lastSeq, { refusedRun: run, refusedRunSeq: runSeq, ...more });

type Case = [
  string,
  ArrivalHistory,
  number | undefined,
  number | undefined,
  string,
  number,
  number,
];

describe('classifyArrival', () => {
  const cases: Case[] = [
    ['first heartbeat adopts the incarnation', node('unknown', null, null), 7, 1, 'fresh', 0, 0],
    ['next seq', node('alive', 7, 1), 7, 2, 'fresh', 0, 0],
    ['gap of two', node('alive', 7, 1), 7, 4, 'fresh', 2, 0],
    ['same seq', node('alive', 7, 4), 7, 4, 'duplicate', 0, 0],
    ['older seq', node('alive', 7, 4), 7, 3, 'stale', 0, 1],
    ['text line without seq', node('alive', 7, 4), undefined, undefined, 'fresh', 0, 0],
    ['seq without incarnation compares seq', node('alive', 7, 4), undefined, 4, 'duplicate', 0, 0],
    ['higher incarnation restarts', node('alive', 7, 4), 8, 1, 'restart', 0, 0],
    ['lower incarnation while alive is stale', node('alive', 7, 4), 6, 9, 'stale', 0, 0],
    ['lower incarnation while suspect is stale', node('suspect', 7, 4), 6, 9, 'stale', 0, 0],
    ['lower incarnation while dead restarts', node('dead', 7, 4), 6, 1, 'restart', 0, 0],
    ['lower incarnation after leaving restarts', node('left', 7, 4), 6, 1, 'restart', 0, 0],
    ['lower incarnation while unknown restarts', node('unknown', 7, 4), 6, 1, 'restart', 0, 0],
    ['after leaving, an older seq is stale', node('left', 7, 4), 7, 3, 'stale', 0, 1],

    // Serial-number arithmetic (RFC 1982): a seq that wraps at 2^32 goes on.
    ['wrap: 0 follows 4294967295', node('alive', 7, MAX), 7, 0, 'fresh', 0, 0],
    ['wrap: 1 after 4294967294 lost two', node('alive', 7, MAX - 1), 7, 1, 'fresh', 2, 0],
    ['wrap: 4294967295 is older than 3', node('alive', 7, 3), 7, MAX, 'stale', 0, 1],
    ['half the space ahead counts as older', node('alive', 7, 0), 7, 2 ** 31, 'stale', 0, 1],
    ['a forged 4294967295 after seq 1 is stale', node('alive', 7, 1), 7, MAX, 'stale', 0, 1],

    // The forward jump is bounded by the time since the newest heartbeat.
    ['a jump of 18 after 1 s is allowed', node('alive', 7, 100), 7, 118, 'fresh', 17, 0],
    ['a jump of 19 after 1 s is refused', node('alive', 7, 100), 7, 119, 'seq-jump', 0, 1],
    [
      'a jump of 16 at once is allowed',
      node('alive', 7, 100, { sinceLastMs: 0 }),
      7,
      116,
      'fresh',
      15,
      0,
    ],
    [
      'a jump of 17 at once is refused',
      node('alive', 7, 100, { sinceLastMs: 0 }),
      7,
      117,
      'seq-jump',
      0,
      1,
    ],
    [
      'after an hour of silence a jump of 3600 is allowed',
      node('dead', 7, 100, { sinceLastMs: 3_600_000 }),
      7,
      3700,
      'fresh',
      3599,
      0,
    ],
    [
      'the jump scales with the known interval',
      node('alive', 7, 100, { sinceLastMs: 60_000, intervalMs: 100 }),
      7,
      100 + 1216,
      'fresh',
      1215,
      0,
    ],
    [
      'a forged seq millions ahead is refused',
      node('alive', 7, 100),
      7,
      4_000_000,
      'seq-jump',
      0,
      1,
    ],
    [
      'never heard (restored seq): the jump is not bounded',
      node('unknown', 7, 100, { sinceLastMs: null }),
      7,
      4_000_000,
      'fresh',
      3_999_899,
      0,
    ],

    // A run of refused heartbeats in order re-syncs the node.
    ['a second stale one in order extends the run', refused(1000, 1, 50), 7, 51, 'stale', 0, 2],
    ['the third in order re-syncs', refused(1000, 2, 51), 7, 52, 'resync', 0, 0],
    ['the run may skip seqs (losses)', refused(1000, 2, 51), 7, 60, 'resync', 0, 0],
    ['a run may wrap', refused(100, 2, MAX), 7, 0, 'resync', 0, 0],
    ['refused jumps count as a run too', refused(100, 2, 5_000_001), 7, 5_000_002, 'resync', 0, 0],
    ['jumps and stale ones mix in a run', refused(100, 2, 40), 7, 5_000_000, 'resync', 0, 0],
    ['one out of order starts a new run', refused(1000, 2, 51), 7, 40, 'stale', 0, 1],
    ['the same seq again starts a new run', refused(1000, 2, 51), 7, 51, 'stale', 0, 1],
    ['a duplicate leaves the run alone', refused(1000, 2, 51), 7, 1000, 'duplicate', 0, 0],
    ['an older incarnation leaves the run alone', refused(1000, 2, 51), 6, 52, 'stale', 0, 0],
    ['an accepted one is fresh whatever the run', refused(100, 2, 51), 7, 101, 'fresh', 0, 0],
  ];
  it.each(cases)('%s', (_name, history, incarnation, seq, kind, gap, run) => {
    expect(classifyArrival(history, incarnation, seq)).toEqual({ kind, gap, run });
  });

  it('re-syncs after SEQ_RESYNC_RUN refused heartbeats in order, never before', () => {
    let history = node('alive', 7, 1000);
    const kinds: string[] = [];
    for (let seq = 10; seq < 10 + SEQ_RESYNC_RUN; seq++) {
      const v = classifyArrival(history, 7, seq);
      kinds.push(v.kind);
      history = { ...history, refusedRun: v.run, refusedRunSeq: seq };
    }
    expect(kinds).toEqual([...Array<string>(SEQ_RESYNC_RUN - 1).fill('stale'), 'resync']);
  });
});

describe('sequence arithmetic', () => {
  it('seqAhead is serial-number arithmetic over 2^32', () => {
    expect(seqAhead(5, 5)).toBe(0);
    expect(seqAhead(6, 5)).toBe(1);
    expect(seqAhead(4, 5)).toBe(-1);
    expect(seqAhead(0, MAX)).toBe(1);
    expect(seqAhead(MAX, 0)).toBe(-1);
    expect(seqAhead(2 ** 31 - 1, 0)).toBe(2 ** 31 - 1);
    expect(seqAhead(2 ** 31, 0)).toBe(-1);
    expect(seqAhead(2 ** 31 + 5, 5)).toBe(-1);
  });

  it('allowedSeqJump is twice the heartbeats the interval allows plus the slack', () => {
    expect(allowedSeqJump(0, 1000)).toBe(SEQ_JUMP_SLACK);
    expect(allowedSeqJump(-5, 1000)).toBe(SEQ_JUMP_SLACK);
    expect(allowedSeqJump(1000, 1000)).toBe(SEQ_JUMP_SLACK + 2);
    expect(allowedSeqJump(1500, 1000)).toBe(SEQ_JUMP_SLACK + 3);
    expect(allowedSeqJump(10_000, 10)).toBe(SEQ_JUMP_SLACK + 2000);
    expect(allowedSeqJump(null, 1000)).toBe(Infinity);
  });

  it('a leave moves the seq only forward and within the bound', () => {
    const kind = (lastSeq: number | null, seq: number) =>
      classifyLeave(node('alive', 7, lastSeq, { sinceLastMs: 0 }), 7, seq).kind;
    expect(kind(null, MAX)).toBe('fresh');
    expect(kind(10, 11)).toBe('fresh');
    expect(kind(10, 10)).toBe('duplicate');
    expect(kind(10, 9)).toBe('stale');
    expect(kind(10, MAX)).toBe('stale');
    expect(kind(10, 10 + SEQ_JUMP_SLACK + 1)).toBe('seq-jump');
    expect(kind(MAX, 3)).toBe('fresh');
  });
});

/** The sender's wall clock of an authenticated message in these cases. */
const SIGNED_AT = 1_700_000_000_000;

describe('classifyArrival, authenticated', () => {
  const cases: [string, ArrivalHistory, number, number, string, number][] = [
    ['next seq', node('alive', 7, 1), 7, 2, 'fresh', 0],
    ['a replay of the newest is a duplicate', node('alive', 7, 4), 7, 4, 'duplicate', 0],
    ['a replay of an older one is stale, with no run', node('alive', 7, 4), 7, 3, 'stale', 0],
    ['a run of refused ones never re-syncs', refused(1000, 2, 51), 7, 52, 'stale', 0],
    [
      'a jump beyond the bound is fresh (it cannot be forged)',
      node('alive', 7, 100),
      7,
      5000,
      'fresh',
      4899,
    ],
    ['higher incarnation restarts', node('alive', 7, 4), 8, 1, 'restart', 0],
    ['lower incarnation while alive is stale', node('alive', 7, 4), 6, 9, 'stale', 0],
    [
      'lower incarnation while dead, sent before the newest was heard: stale (a replay)',
      node('dead', 7, 4, { newestWallMs: SIGNED_AT + 1 }),
      6,
      1,
      'stale',
      0,
    ],
    [
      'lower incarnation while dead, sent after the newest was heard: restart',
      node('dead', 7, 4, { newestWallMs: SIGNED_AT - 1 }),
      6,
      1,
      'restart',
      0,
    ],
    [
      'lower incarnation of a node never heard: restart',
      node('unknown', 7, 4, { newestWallMs: null }),
      6,
      1,
      'restart',
      0,
    ],
  ];
  it.each(cases)('%s', (_name, history, incarnation, seq, kind, gap) => {
    expect(classifyArrival(history, incarnation, seq, SIGNED_AT)).toEqual({ kind, gap, run: 0 });
  });

  it('the same replay refused any number of times stays refused', () => {
    let history = node('alive', 7, 1000);
    for (let i = 0; i < 10; i++) {
      const v = classifyArrival(history, 7, 990 + i, SIGNED_AT);
      expect(v).toEqual({ kind: 'stale', gap: 0, run: 0 });
      history = { ...history, refusedRun: v.run, refusedRunSeq: 990 + i };
    }
  });
});

describe('classifyLeave', () => {
  const cases: [string, ArrivalHistory, number | undefined, number | undefined, string][] = [
    ['the next seq applies', node('alive', 7, 4), 7, 5, 'fresh'],
    ['a leave without seq applies', node('alive', 7, 4), undefined, undefined, 'fresh'],
    ['before any seq was heard it applies', node('alive', 7, null), 7, 3, 'fresh'],
    ['a replayed leave with an old seq is stale', node('alive', 7, 40), 7, 12, 'stale'],
    ['the newest seq again is a duplicate', node('alive', 7, 40), 7, 40, 'duplicate'],
    ['an old seq is stale while dead too', node('dead', 7, 40), 7, 12, 'stale'],
    ['a lower incarnation is stale while alive', node('alive', 7, 4), 6, 9, 'stale'],
    ['a lower incarnation is stale while dead', node('dead', 7, 4), 6, 9, 'stale'],
    ['a higher incarnation applies as a restart', node('dead', 7, 4), 8, 1, 'restart'],
    [
      'a jump beyond the bound applies without its seq',
      node('alive', 7, 4),
      7,
      4_000_000,
      'seq-jump',
    ],
  ];
  it.each(cases)('%s', (_name, history, incarnation, seq, kind) => {
    expect(classifyLeave(history, incarnation, seq).kind).toBe(kind);
  });

  it('an authenticated leave obeys the same rules, and its jump is taken', () => {
    expect(classifyLeave(node('alive', 7, 40), 7, 12, SIGNED_AT).kind).toBe('stale');
    expect(classifyLeave(node('alive', 7, 40), 7, 40, SIGNED_AT).kind).toBe('duplicate');
    expect(classifyLeave(node('alive', 7, 4), 7, 4_000_000, SIGNED_AT).kind).toBe('fresh');
  });
});
