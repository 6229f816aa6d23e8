import { describe, expect, it } from 'vitest';
import { describeStatus, formatDuration } from '../../src/membership/describe-status.js';

describe('describeStatus', () => {
  it.each([
    [{ state: 'unknown', lastArrivalMs: null, stateSinceMs: 0 }, 'no heartbeat received yet'],
    [{ state: 'alive', lastArrivalMs: 8_800, stateSinceMs: 0 }, 'ALIVE, last heartbeat 1.2 s ago'],
    [
      { state: 'suspect', lastArrivalMs: 6_000, stateSinceMs: 9_000 },
      'SUSPECT, no heartbeat for 4.0 s',
    ],
    [
      { state: 'dead', lastArrivalMs: 3_900, stateSinceMs: 9_000 },
      'FAILED, no heartbeat for 6.1 s',
    ],
    [{ state: 'dead', lastArrivalMs: null, stateSinceMs: 9_000 }, 'FAILED, no heartbeat received'],
    [
      { state: 'dead', lastArrivalMs: 9_600, stateSinceMs: 9_700, stateReason: 'reported-failure' },
      'FAILED (reported), last heartbeat 0.4 s ago',
    ],
    [{ state: 'left', lastArrivalMs: 1_000, stateSinceMs: 6_800 }, 'LEFT 3.2 s ago'],
  ] as const)('%o', (input, expected) => {
    expect(describeStatus(input, 10_000)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0.0 s'],
    [-5, '0.0 s'],
    [2_960, '2.9 s'],
    [59_999, '59.9 s'],
    [60_000, '1 min 0 s'],
    [3_599_999, '59 min 59 s'],
    [3_600_000, '1 h 0 min'],
    [90_061_000, '1 d 1 h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
