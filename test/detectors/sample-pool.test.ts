import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError, HeartbeatError, LimitError } from '../../src/core/errors.js';
import type { DetectorContext, FailureDetector } from '../../src/detectors/detector.js';
import { createDetector, DETECTOR_KINDS } from '../../src/detectors/registry.js';
import {
  blockBytes,
  DEFAULT_SLAB_BYTES,
  MAX_SHARED_PARAMS,
  SamplePool,
  sharedParams,
  type PoolBlock,
} from '../../src/detectors/sample-pool.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';
import { NodeTable } from '../../src/membership/node-table.js';
import { detectorCompliance } from './compliance.js';

describe('SamplePool', () => {
  it('hands out blocks one after another, rounded up to 8 bytes, in 1 MiB slabs', () => {
    const pool = new SamplePool();
    expect(pool.slabBytes).toBe(DEFAULT_SLAB_BYTES);
    expect(pool.slabCount).toBe(0);
    const a = pool.allocate(164);
    const b = pool.allocate(168);
    const c = pool.allocate(1);
    expect([a.at, b.at, c.at]).toEqual([0, 168, 336]);
    expect(a.slab).toBe(b.slab);
    expect(a.slab.f64.byteLength).toBe(DEFAULT_SLAB_BYTES);
    expect(pool.slabCount).toBe(1);
    expect(pool.liveBlocks).toBe(3);
    expect(pool.usedBytes).toBe(168 + 168 + 8);
    expect(blockBytes(0.5)).toBe(8);
  });

  it('starts a new slab when a block does not fit the rest of the current one', () => {
    const pool = new SamplePool({ slabBytes: 64 });
    const a = pool.allocate(40);
    const b = pool.allocate(32);
    const c = pool.allocate(24);
    expect(b.slab).not.toBe(a.slab);
    expect(b.at).toBe(0);
    expect(c.slab).toBe(b.slab);
    expect(c.at).toBe(32);
    expect(pool.slabCount).toBe(2);
    expect(pool.reservedBytes).toBe(128);
  });

  it('reuses a released block of the same size first, last released first', () => {
    const pool = new SamplePool({ slabBytes: 1024 });
    const blocks = [pool.allocate(48), pool.allocate(48), pool.allocate(48)];
    const [a, b, c] = blocks as [PoolBlock, PoolBlock, PoolBlock];
    pool.release(a.slab, a.at, 48);
    pool.release(c.slab, c.at, 48);
    expect(pool.liveBlocks).toBe(1);
    expect(pool.allocate(41)).toEqual({ slab: c.slab, at: c.at });
    expect(pool.allocate(48)).toEqual({ slab: a.slab, at: a.at });
    // Another size does not take a freed block of 48 bytes; the free list is empty now anyway.
    expect(pool.allocate(48).at).toBe(144);
    pool.release(b.slab, b.at, 48);
    expect(pool.allocate(16).at).toBe(192);
    expect(pool.allocate(48)).toEqual({ slab: b.slab, at: b.at });
  });

  it('reuses blocks across slabs', () => {
    const pool = new SamplePool({ slabBytes: 16 });
    const blocks = Array.from({ length: 5 }, () => pool.allocate(16));
    expect(pool.slabCount).toBe(5);
    for (const b of blocks) pool.release(b.slab, b.at, 16);
    const again = Array.from({ length: 5 }, () => pool.allocate(16));
    expect(new Set(again.map((b) => b.slab)).size).toBe(5);
    expect(pool.slabCount).toBe(5);
  });

  it('never lets two live blocks overlap, and keeps their contents, under any churn', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant('alloc' as const),
              bytes: fc.integer({ min: 1, max: 100 }),
            }),
            fc.record({ op: fc.constant('free' as const), pick: fc.nat() }),
          ),
          { maxLength: 300 },
        ),
        (ops) => {
          const pool = new SamplePool({ slabBytes: 256 });
          const live: { block: PoolBlock; bytes: number; mark: number }[] = [];
          let mark = 0;
          for (const step of ops) {
            if (step.op === 'alloc') {
              const block = pool.allocate(step.bytes);
              mark++;
              const bytes = new Uint8Array(block.slab.f64.buffer);
              bytes.fill(mark & 0xff, block.at, block.at + blockBytes(step.bytes));
              live.push({ block, bytes: step.bytes, mark });
            } else if (live.length > 0) {
              const [gone] = live.splice(step.pick % live.length, 1);
              if (gone !== undefined) pool.release(gone.block.slab, gone.block.at, gone.bytes);
            }
          }
          expect(pool.liveBlocks).toBe(live.length);
          expect(pool.usedBytes).toBe(live.reduce((sum, l) => sum + blockBytes(l.bytes), 0));
          for (const { block, bytes, mark: m } of live) {
            expect(block.at + blockBytes(bytes)).toBeLessThanOrEqual(pool.slabBytes);
            const all = new Uint8Array(block.slab.f64.buffer);
            for (let i = 0; i < blockBytes(bytes); i++) expect(all[block.at + i]).toBe(m & 0xff);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('grows to the peak of live blocks, not with churn', () => {
    const pool = new SamplePool({ slabBytes: 1024 });
    const live = Array.from({ length: 100 }, () => pool.allocate(168));
    const slabs = pool.slabCount;
    expect(slabs).toBe(Math.ceil(100 / Math.floor(1024 / 168)));
    for (let round = 0; round < 50; round++) {
      // A third of the nodes leave and as many join.
      for (let i = round % 3; i < live.length; i += 3) {
        const b = live[i] as PoolBlock;
        pool.release(b.slab, b.at, 168);
        live[i] = pool.allocate(168);
      }
    }
    expect(pool.slabCount).toBe(slabs);
    expect(pool.liveBlocks).toBe(100);
  });

  it('refuses a block larger than a slab, a bad slab size and a block from elsewhere', () => {
    expect(() => new SamplePool({ slabBytes: 12 })).toThrow(ConfigError);
    expect(() => new SamplePool({ slabBytes: 0 })).toThrow(ConfigError);
    const pool = new SamplePool({ slabBytes: 64 });
    expect(() => pool.allocate(65)).toThrow(LimitError);
    expect(() => pool.allocate(0)).toThrow(LimitError);
    expect(pool.liveBlocks).toBe(0);
    const other = new SamplePool({ slabBytes: 64 }).allocate(8);
    expect(() => pool.release(other.slab, other.at, 8)).toThrow(HeartbeatError);
  });
});

describe('sharedParams', () => {
  it('gives one frozen object per key and pool, up to MAX_SHARED_PARAMS keys', () => {
    const pool = new SamplePool();
    const a = sharedParams(pool, 'k', () => ({ n: 1 }));
    expect(sharedParams(pool, 'k', () => ({ n: 2 }))).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(sharedParams(new SamplePool(), 'k', () => ({ n: 3 })).n).toBe(3);
    for (let i = pool.params.size; i < MAX_SHARED_PARAMS; i++)
      sharedParams(pool, `x${i}`, () => ({}));
    const extra = sharedParams(pool, 'beyond', () => ({ n: 4 }));
    expect(sharedParams(pool, 'beyond', () => ({ n: 5 }))).not.toBe(extra);
    expect(pool.params.size).toBe(MAX_SHARED_PARAMS);
  });
});

const WINDOWED = ['phi-accrual', 'phi-cassandra', 'chen'] as const;

describe('detectors in a pool', () => {
  for (const kind of WINDOWED) {
    it(`${kind}: behaves exactly as without a pool, and gives its block back once`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: -500, max: 5000 }), { minLength: 1, maxLength: 150 }),
          fc.array(fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }), {
            minLength: 150,
            maxLength: 150,
          }),
          (gaps, seqs) => {
            const pool = new SamplePool({ slabBytes: 4096 });
            // A neighbour on each side: writes must stay inside the detector's own block.
            const before = createDetector({ kind }, { intervalMs: 700, samplePool: pool });
            const pooled = createDetector({ kind }, { intervalMs: 1000, samplePool: pool });
            const after = createDetector({ kind }, { intervalMs: 700, samplePool: pool });
            const own = createDetector({ kind }, { intervalMs: 1000 });
            const other = createDetector({ kind }, { intervalMs: 700 });
            let t = 0;
            gaps.forEach((gap, i) => {
              t += gap;
              const seq = seqs[i];
              for (const d of [before, pooled, after, own, other]) d.heartbeat(t, seq);
              expect(pooled.suspectAtMs()).toBe(own.suspectAtMs());
            });
            for (const at of [t, t + 999.5, t + 10_000]) {
              expect(pooled.explain(at)).toEqual(own.explain(at));
              expect(before.explain(at)).toEqual(other.explain(at));
              expect(after.explain(at)).toEqual(other.explain(at));
            }
            expect(pooled.memoryBytes()).toBeLessThan(own.memoryBytes());
            expect(pool.liveBlocks).toBe(3);
            pooled.dispose?.();
            pooled.dispose?.();
            expect(pool.liveBlocks).toBe(2);
            own.dispose?.();
            before.dispose?.();
            after.dispose?.();
            expect(pool.liveBlocks).toBe(0);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it('share one options object between detectors of the same spec and interval', () => {
    const pool = new SamplePool();
    for (const kind of WINDOWED) {
      const make = (intervalMs: number) =>
        createDetector({ kind }, { intervalMs, samplePool: pool }) as FailureDetector & {
          options: object;
        };
      expect(make(1000).options).toBe(make(1000).options);
      expect(make(1000).options).not.toBe(make(2000).options);
    }
  });
});

// The contract holds for pooled detectors too (many detectors share each slab here).
const compliancePool = new SamplePool({ slabBytes: 64 * 1024 });
for (const kind of WINDOWED) {
  detectorCompliance(`${kind} in a sample pool`, (context: DetectorContext) =>
    createDetector({ kind } as DetectorSpec, { ...context, samplePool: compliancePool }),
  );
}

describe('the node table and its sample pool', () => {
  /** A table whose detectors are counted: made, and disposed (blocks returned to the pool). */
  function countedTable(kind: (typeof DETECTOR_KINDS)[number]) {
    const clock = new ManualClock();
    const counts = { made: 0, live: new Set<FailureDetector>(), pools: new Set<SamplePool>() };
    const table = new NodeTable(
      {
        clock,
        createDetector: (spec, context) => {
          const d = createDetector(spec, context);
          if (context.samplePool !== undefined) counts.pools.add(context.samplePool);
          counts.made++;
          counts.live.add(d);
          const dispose = d.dispose?.bind(d);
          d.dispose = () => {
            counts.live.delete(d);
            dispose?.();
          };
          return d;
        },
      },
      { detector: { kind } },
    );
    return { clock, table, counts };
  }

  it('disposes a detector when the node leaves, restarts or is removed, and on the spec check', () => {
    const { clock, table, counts } = countedTable('phi-accrual');
    expect(counts.made).toBe(1);
    expect(counts.live.size).toBe(0);
    const hb = (nodeId: string, incarnation: number, seq: number) =>
      table.receive({ type: 'heartbeat', nodeId, incarnation, seq, intervalMs: 1000 });
    hb('a', 1, 1);
    hb('b', 1, 1);
    clock.advance(1000);
    hb('a', 1, 2);
    expect(counts.live.size).toBe(2);
    const [pool] = [...counts.pools];
    expect(counts.pools.size).toBe(1);
    expect(pool?.liveBlocks).toBe(2);
    hb('a', 2, 1); // restart: a new detector, the old one given back
    expect(counts.made).toBe(4);
    expect(counts.live.size).toBe(2);
    expect(pool?.liveBlocks).toBe(2);
    table.receive({ type: 'leave', nodeId: 'a', incarnation: 2, seq: 2 });
    expect(counts.live.size).toBe(1);
    expect(pool?.liveBlocks).toBe(1);
    expect(table.remove('b')).toBe(true);
    expect(counts.live.size).toBe(0);
    expect(pool?.liveBlocks).toBe(0);
    hb('a', 3, 1); // back after leaving: reuses the freed block
    expect(pool?.liveBlocks).toBe(1);
    expect(pool?.slabCount).toBe(1);
  });

  it('keeps the pool at the peak of live nodes under churn', () => {
    const { clock, table, counts } = countedTable('chen');
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) {
        table.receive({ type: 'heartbeat', nodeId: `n${round}-${i}`, seq: 1, intervalMs: 1000 });
      }
      clock.advance(10);
      for (let i = 0; i < 50; i++) table.remove(`n${round}-${i}`);
    }
    const [pool] = [...counts.pools];
    expect(pool?.liveBlocks).toBe(0);
    expect(pool?.slabCount).toBe(1);
    expect(counts.made).toBe(1 + 20 * 50);
  });
});
