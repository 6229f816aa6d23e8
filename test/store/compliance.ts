/**
 * The history-store contract, as tests any store must pass (src/store/history-store.ts): run
 * by test/store/stores.test.ts against every implementation. A store is given as a maker of a
 * fresh store and a way to restart it (close, then open the same contents again).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { MAX_HISTORY_PAGE } from '../../src/core/limits.js';
import type { NodeTransition } from '../../src/membership/types.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { HistoryStore, NodeRecord, StoreBatch } from '../../src/store/history-store.js';
import { testConfig } from '../monitor/helpers.js';
import { transition } from './transition-fixture.js';

export interface StoreUnderTest {
  /** A new, empty store. */
  fresh(): Promise<HistoryStore> | HistoryStore;
  /** Closes `store` and opens its contents again, as a monitor restart does. */
  restart(store: HistoryStore): Promise<HistoryStore> | HistoryStore;
}

const node = (id: string, extra: Partial<NodeRecord> = {}): NodeRecord => ({
  id,
  address: '10.0.0.1:9000',
  tags: ['db'],
  intervalMs: 1000,
  incarnation: 3,
  lastSeq: 17,
  registered: false,
  createdWallMs: 1_700_000_000_000,
  ...extra,
});

const only = (transitions: NodeTransition[]): StoreBatch => ({ registry: [], transitions });

export function historyStoreCompliance(name: string, under: StoreUnderTest): void {
  describe(`${name} (history-store contract)`, () => {
    it('appends transitions in order, ids growing, and pages them newest first', async () => {
      const store = await under.fresh();
      const ids = await store.commit(
        only(
          ['a', 'b', 'c', 'd', 'e'].map((nodeId, i) => transition({ nodeId, wallMs: 1000 + i })),
        ),
      );
      expect(ids).toHaveLength(5);
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe((ids[i - 1] as number) + 1);
      expect(await store.lastTransitionId()).toBe(ids[4]);
      const first = await store.transitions({ limit: 2 });
      expect(first.rows.map((r) => r.nodeId)).toEqual(['e', 'd']);
      const second = await store.transitions({ limit: 2, before: first.nextBefore ?? 0 });
      expect(second.rows.map((r) => r.nodeId)).toEqual(['c', 'b']);
      const last = await store.transitions({ limit: 2, before: second.nextBefore ?? 0 });
      expect(last).toEqual({ rows: [expect.objectContaining({ nodeId: 'a' })], nextBefore: null });
      const resumed = await store.transitions({ after: ids[2] as number });
      expect(resumed.rows.map((r) => r.nodeId)).toEqual(['d', 'e']); // oldest first
      expect(resumed.nextBefore).toBeNull();
      await store.close();
    });

    it('keeps each row as written, evidence and all (non-finite numbers too)', async () => {
      const store = await under.fresh();
      const t = transition({ downForMs: 2500, to: 'alive', from: 'dead', reason: 'heartbeat' });
      t.evidence.detector = {
        ...(t.evidence.detector as NonNullable<typeof t.evidence.detector>),
        suspectAtMs: Infinity,
      };
      const [id] = await store.commit(only([t]));
      const [row] = (await store.transitions({})).rows;
      expect(row).toEqual({
        id,
        nodeId: t.nodeId,
        from: 'dead',
        to: 'alive',
        reason: 'heartbeat',
        wallMs: t.wallMs,
        detectionMs: t.detectionMs,
        downForMs: 2500,
        evidence: t.evidence,
      });
      // Later commits change nothing already stored.
      await store.commit(only([transition({ nodeId: t.nodeId })]));
      expect((await store.transitions({ after: 0, limit: 1 })).rows[0]).toEqual(row);
      await store.close();
    });

    it('filters by node and by target state, and clamps the page size', async () => {
      const store = await under.fresh();
      await store.commit(
        only([
          transition({ nodeId: 'a', to: 'suspect' }),
          transition({ nodeId: 'b', to: 'dead' }),
          transition({ nodeId: 'a', to: 'dead' }),
        ]),
      );
      expect((await store.transitions({ nodeId: 'a' })).rows.map((r) => r.to)).toEqual([
        'dead',
        'suspect',
      ]);
      expect((await store.transitions({ state: 'dead' })).rows.map((r) => r.nodeId)).toEqual([
        'a',
        'b',
      ]);
      expect((await store.transitions({ nodeId: 'a', state: 'dead' })).rows).toHaveLength(1);
      expect((await store.transitions({ limit: 0 })).rows).toHaveLength(1);
      const many = Array.from({ length: MAX_HISTORY_PAGE + 5 }, () => transition());
      await store.commit(only(many));
      expect((await store.transitions({ limit: 1e9 })).rows).toHaveLength(MAX_HISTORY_PAGE);
      await store.close();
    });

    it('commits a batch all or nothing', async () => {
      const store = await under.fresh();
      const bad = transition({ nodeId: null as unknown as string });
      let failed = false;
      try {
        await store.commit({
          registry: [{ kind: 'upsert', record: node('x') }],
          transitions: [transition(), bad],
        });
      } catch {
        failed = true;
      }
      expect(failed).toBe(true);
      expect((await store.transitions({})).rows).toEqual([]);
      expect(await store.loadNodes()).toEqual([]);
      expect(await store.lastTransitionId()).toBe(0);
      await store.close();
    });

    it('keeps registry writes in order, keeps createdWallMs, and round-trips a lifecycle', async () => {
      const store = await under.fresh();
      const lifecycle: Partial<NodeRecord> = {
        state: 'suspect',
        stateReason: 'detector',
        stateSinceWallMs: 1_700_000_005_000,
        failedSinceWallMs: 1_700_000_005_000,
        lastArrivalWallMs: 1_700_000_004_000,
        heartbeats: 40,
        lost: 2,
        duplicates: 1,
        stale: 0,
        payload: { load1: 0.25, version: '1.2.3' },
        warmupMs: [990, 1010, 1000],
      };
      await store.commit({
        registry: [
          { kind: 'upsert', record: node('b') },
          { kind: 'upsert', record: node('a') },
          { kind: 'delete', id: 'b' },
          { kind: 'upsert', record: node('b', { createdWallMs: 5, registered: true }) },
          { kind: 'upsert', record: node('a', { lastSeq: 99, createdWallMs: 7, ...lifecycle }) },
        ],
        transitions: [],
      });
      expect(await store.loadNodes()).toEqual([
        node('a', { lastSeq: 99, ...lifecycle }), // createdWallMs of the first write kept
        node('b', { createdWallMs: 5, registered: true }), // deleted, then new
      ]);
      await store.commit({
        registry: [
          { kind: 'delete', id: 'a' },
          { kind: 'delete', id: 'zz' },
        ],
        transitions: [],
      });
      expect((await store.loadNodes()).map((n) => n.id)).toEqual(['b']);
      await store.close();
    });

    it('holds registry and history across a restart, ids still growing', async () => {
      const store = await under.fresh();
      const [first] = await store.commit({
        registry: [{ kind: 'upsert', record: node('a', { state: 'left', stateReason: 'leave' }) }],
        transitions: [transition({ nodeId: 'a', to: 'left', reason: 'leave' })],
      });
      const again = await under.restart(store);
      expect(await again.loadNodes()).toEqual([
        expect.objectContaining({ id: 'a', state: 'left' }),
      ]);
      expect((await again.transitions({})).rows.map((r) => r.id)).toEqual([first]);
      const [next] = await again.commit(only([transition()]));
      expect(next).toBeGreaterThan(first as number);
      await again.close();
    });

    it('prunes by age and by count, oldest first, at most maxDeletes at a time', async () => {
      const store = await under.fresh();
      const ids = await store.commit(
        only(
          Array.from({ length: 10 }, (_, i) => transition({ nodeId: `n${i}`, wallMs: 1000 * i })),
        ),
      );
      const keep = { maxAgeMs: null, maxRows: null, nowWallMs: 10_000, maxDeletes: 1000 };
      expect(await store.prune(keep)).toBe(0);
      expect(await store.prune({ ...keep, maxRows: 8, maxDeletes: 1 })).toBe(1);
      expect(await store.prune({ ...keep, maxRows: 8 })).toBe(1);
      expect((await store.transitions({ after: 0, limit: 1 })).rows[0]?.id).toBe(ids[2]);
      // Younger than 5 s at 10 s: rows of wall 5000 and later stay.
      expect(await store.prune({ ...keep, maxAgeMs: 5000 })).toBe(3);
      expect((await store.transitions({ limit: 100 })).rows.map((r) => r.nodeId)).toEqual([
        'n9',
        'n8',
        'n7',
        'n6',
        'n5',
      ]);
      expect(await store.lastTransitionId()).toBe(ids[9]);
      const [next] = await store.commit(only([transition()]));
      expect(next).toBe((ids[9] as number) + 1); // ids are never reused
      await store.close();
    });

    it('has every transition stored before a monitor announces it', async () => {
      const store = await under.fresh();
      const clock = new ManualClock();
      const monitor = new Monitor(
        { clock, store: () => store },
        testConfig({ udpPort: null, tcpPort: null, httpPort: null }),
      );
      await monitor.start();
      const checks: Promise<boolean>[] = [];
      monitor.on('transition', (t) => {
        const id = t.id as number;
        checks.push(
          Promise.resolve(store.transitions({ after: id - 1, limit: 1 })).then(
            (p) => p.rows[0]?.id === id,
          ),
        );
      });
      await monitor.register('x');
      monitor.ingest(
        { type: 'heartbeat', nodeId: 'y', incarnation: 1, seq: 1 },
        { transport: 'udp', address: '127.0.0.1', port: 1 },
      );
      clock.advance(0);
      clock.advance(10_000); // y falls silent: suspect, dead
      await new Promise<void>((resolve) => setImmediate(resolve)); // a store that answers later
      expect(checks.length).toBeGreaterThanOrEqual(4);
      expect(await Promise.all(checks)).toEqual(checks.map(() => true));
      await monitor.stop();
    });
  });
}
