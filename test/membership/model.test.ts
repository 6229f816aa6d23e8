import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { SEQ_JUMP_SLACK, SEQ_RESYNC_RUN } from '../../src/core/limits.js';
import { NodeTable } from '../../src/membership/node-table.js';
import type { NodeState } from '../../src/membership/types.js';

const TIMEOUT_MS = 3000;
const DEAD_AFTER_MS = 10_000;
const STARTUP_GRACE_MS = 20_000;
const MAX_NODES = 4;
/** The table's default interval, which the seq-jump bound is measured in. */
const INTERVAL_MS = 1000;

interface RefNode {
  state: NodeState;
  incarnation: number | null;
  lastSeq: number | null;
  /** When the newest heartbeat was accepted (null: never). */
  lastArrivalMs: number | null;
  /** Refused heartbeats in a row, in order, and the newest one's seq. */
  run: number;
  runSeq: number;
  /** When the next lifecycle step falls due if nothing arrives. */
  deadlineMs: number;
  lost: number;
  duplicates: number;
  stale: number;
}

/**
 * The reference: the lifecycle written as plainly as possible, a Map and a linear scan for the
 * earliest deadline, with the fixed-timeout detector's deadline computed inline.
 */
class Reference {
  nowMs = 0;
  readonly nodes = new Map<string, RefNode>();

  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let next: RefNode | undefined;
      for (const n of this.nodes.values())
        if (next === undefined || n.deadlineMs < next.deadlineMs) next = n;
      if (next === undefined || next.deadlineMs > target) break;
      this.nowMs = next.deadlineMs;
      if (next.state === 'alive') {
        next.state = 'suspect';
        next.deadlineMs = this.nowMs + DEAD_AFTER_MS;
      } else {
        next.state = 'dead';
        next.deadlineMs = Infinity;
      }
    }
    this.nowMs = target;
  }

  private create(id: string, deadlineMs: number): RefNode {
    const n: RefNode = {
      state: 'unknown',
      incarnation: null,
      lastSeq: null,
      lastArrivalMs: null,
      run: 0,
      runSeq: 0,
      deadlineMs,
      lost: 0,
      duplicates: 0,
      stale: 0,
    };
    this.nodes.set(id, n);
    return n;
  }

  register(id: string): string {
    if (this.nodes.has(id)) return 'ok';
    if (this.nodes.size >= MAX_NODES) return 'LimitError';
    this.create(id, this.nowMs + STARTUP_GRACE_MS);
    return 'ok';
  }

  /** The largest forward step of seq accepted now (seqs here stay far from the 2^32 wrap). */
  private allowedJump(n: RefNode): number {
    if (n.lastArrivalMs === null) return Infinity;
    return SEQ_JUMP_SLACK + Math.ceil((2 * (this.nowMs - n.lastArrivalMs)) / INTERVAL_MS);
  }

  heartbeat(id: string, incarnation?: number, seq?: number): string {
    let n = this.nodes.get(id);
    if (n === undefined) {
      if (this.nodes.size >= MAX_NODES) return 'rejected-limit';
      n = this.create(id, Infinity);
    }
    const newIncarnation =
      incarnation !== undefined && n.incarnation !== null && incarnation !== n.incarnation;
    let restart = false;
    if (newIncarnation) {
      if (
        (incarnation as number) < (n.incarnation as number) &&
        (n.state === 'alive' || n.state === 'suspect')
      ) {
        n.stale++;
        return 'stale';
      }
      restart = true;
    } else if (seq !== undefined && n.lastSeq !== null) {
      if (seq === n.lastSeq) {
        n.duplicates++;
        return 'duplicate';
      }
      const refused =
        seq < n.lastSeq ? 'stale' : seq - n.lastSeq > this.allowedJump(n) ? 'seq-jump' : null;
      if (refused !== null) {
        n.run = n.run > 0 && seq > n.runSeq ? n.run + 1 : 1;
        n.runSeq = seq;
        if (n.run < SEQ_RESYNC_RUN) {
          if (refused === 'stale') n.stale++;
          return refused;
        }
        // The last of a run re-syncs: its seq is the newest, with no losses counted.
      } else if (n.state !== 'left') n.lost += seq - n.lastSeq - 1;
    }
    n.run = 0;
    n.lastArrivalMs = this.nowMs;
    if (restart || n.state === 'left') {
      n.lost = 0;
      n.lastSeq = null;
    }
    if (incarnation !== undefined) n.incarnation = incarnation;
    if (seq !== undefined) n.lastSeq = seq;
    n.state = 'alive';
    n.deadlineMs = this.nowMs + TIMEOUT_MS;
    return 'accepted';
  }

  leave(id: string, incarnation?: number, seq?: number): string {
    const n = this.nodes.get(id);
    if (n === undefined || n.state === 'left') {
      if (n !== undefined) n.stale++;
      return 'stale';
    }
    // The replay rules of heartbeats: an older incarnation, or an old or repeated seq, is refused.
    if (incarnation !== undefined && n.incarnation !== null && incarnation !== n.incarnation) {
      if (incarnation < n.incarnation) {
        n.stale++;
        return 'stale';
      }
      n.incarnation = incarnation;
      n.lastSeq = seq ?? null;
    } else {
      if (seq !== undefined && n.lastSeq !== null) {
        if (seq === n.lastSeq) {
          n.duplicates++;
          return 'duplicate';
        }
        if (seq < n.lastSeq) {
          n.stale++;
          return 'stale';
        }
      }
      // A jump beyond the bound still applies the leave, without taking its seq.
      if (seq !== undefined && (n.lastSeq === null || seq - n.lastSeq <= this.allowedJump(n)))
        n.lastSeq = seq;
      if (incarnation !== undefined) n.incarnation = incarnation;
    }
    n.state = 'left';
    n.deadlineMs = Infinity;
    return 'left';
  }

  reportFailure(id: string): boolean {
    const n = this.nodes.get(id);
    if (n === undefined) return false;
    n.state = 'dead';
    n.deadlineMs = Infinity;
    return true;
  }

  remove(id: string): boolean {
    return this.nodes.delete(id);
  }
}

const id = fc.constantFrom('a', 'b', 'c', 'd', 'e');
// Mostly the same incarnation, so sequence tracking gets exercised; sometimes a restart.
const incarnation = fc.constantFrom(1, 1, 1, 1, 1, 1, 2, 3, undefined);
const seq = fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined, freq: 8 });
const op = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('heartbeat' as const), id, incarnation, seq }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('leave' as const), id, incarnation, seq }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('register' as const), id }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('report' as const), id }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), id }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 30 }).map((k) => k * 500),
    }),
  },
);

describe('NodeTable against a naive reference', () => {
  it('agrees on states, seq tracking and counters over random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const clock = new ManualClock();
        const table = new NodeTable(
          { clock },
          {
            detector: { kind: 'timeout', timeoutMs: TIMEOUT_MS },
            deadAfterMs: DEAD_AFTER_MS,
            startupGraceMs: STARTUP_GRACE_MS,
            maxNodes: MAX_NODES,
          },
        );
        const ref = new Reference();
        for (const o of ops) {
          switch (o.kind) {
            case 'heartbeat':
              expect(
                table.receive({
                  type: 'heartbeat',
                  nodeId: o.id,
                  incarnation: o.incarnation,
                  seq: o.seq,
                }),
              ).toBe(ref.heartbeat(o.id, o.incarnation, o.seq));
              break;
            case 'leave':
              expect(
                table.receive({
                  type: 'leave',
                  nodeId: o.id,
                  incarnation: o.incarnation,
                  seq: o.seq,
                }),
              ).toBe(ref.leave(o.id, o.incarnation, o.seq));
              break;
            case 'register': {
              let outcome = 'ok';
              try {
                table.register(o.id);
              } catch (e) {
                outcome = (e as Error).name;
              }
              expect(outcome).toBe(ref.register(o.id));
              break;
            }
            case 'report':
              expect(table.reportFailure(o.id)).toBe(ref.reportFailure(o.id));
              break;
            case 'remove':
              expect(table.remove(o.id)).toBe(ref.remove(o.id));
              break;
            case 'advance':
              clock.advance(o.ms);
              ref.advance(o.ms);
              break;
          }
          const actual = table
            .list()
            .map((n) => [n.id, n.state, n.incarnation, n.lastSeq, n.lost, n.duplicates, n.stale]);
          const expected = [...ref.nodes.entries()]
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([k, n]) => [k, n.state, n.incarnation, n.lastSeq, n.lost, n.duplicates, n.stale]);
          expect(actual).toEqual(expected);
          expect(clock.pendingTimers()).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
