import { describe, expect, it } from 'vitest';
import { classifyArrival, type ArrivalHistory } from '../../src/membership/arrival.js';
import type { NodeState } from '../../src/membership/types.js';

const node = (
  state: NodeState,
  incarnation: number | null,
  lastSeq: number | null,
): ArrivalHistory => ({
  state,
  incarnation,
  lastSeq,
});

describe('classifyArrival', () => {
  const cases: [string, ArrivalHistory, number | undefined, number | undefined, string, number][] =
    [
      ['first heartbeat adopts the incarnation', node('unknown', null, null), 7, 1, 'fresh', 0],
      ['next seq', node('alive', 7, 1), 7, 2, 'fresh', 0],
      ['gap of two', node('alive', 7, 1), 7, 4, 'fresh', 2],
      ['same seq', node('alive', 7, 4), 7, 4, 'duplicate', 0],
      ['older seq', node('alive', 7, 4), 7, 3, 'stale', 0],
      ['text line without seq', node('alive', 7, 4), undefined, undefined, 'fresh', 0],
      ['seq without incarnation compares seq', node('alive', 7, 4), undefined, 4, 'duplicate', 0],
      ['higher incarnation restarts', node('alive', 7, 4), 8, 1, 'restart', 0],
      ['lower incarnation while alive is stale', node('alive', 7, 4), 6, 9, 'stale', 0],
      ['lower incarnation while suspect is stale', node('suspect', 7, 4), 6, 9, 'stale', 0],
      ['lower incarnation while dead restarts', node('dead', 7, 4), 6, 1, 'restart', 0],
      ['lower incarnation after leaving restarts', node('left', 7, 4), 6, 1, 'restart', 0],
      ['lower incarnation while unknown restarts', node('unknown', 7, 4), 6, 1, 'restart', 0],
      ['after leaving, an older seq is stale', node('left', 7, 4), 7, 3, 'stale', 0],
    ];
  it.each(cases)('%s', (_name, history, incarnation, seq, kind, gap) => {
    expect(classifyArrival(history, incarnation, seq)).toEqual({ kind, gap });
  });
});
