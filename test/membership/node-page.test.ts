/**
 * NodeTable.page: a walk in slot order returns every node once, filters by state, tag and id
 * prefix, bounds the slots one call looks at, and keeps its promise while nodes come and go:
 * every node present for the whole walk is on exactly one page (a seeded model test).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { SeededRng } from '../../src/core/rng.js';
import { NodeTable } from '../../src/membership/node-table.js';
import type { NodePageQuery } from '../../src/membership/types.js';
import { OPTIONS, hb } from './helpers.js';

/** Every id of a walk from the first page to `next === null`, page by page. */
function walk(table: NodeTable, query: Omit<NodePageQuery, 'after'>): string[][] {
  const pages: string[][] = [];
  let after: number | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = table.page({ ...query, after });
    pages.push(page.nodes.map((n) => n.id));
    if (page.next === null) return pages;
    expect(page.next).toBeGreaterThanOrEqual(after ?? -1);
    after = page.next;
  }
  throw new Error('the walk did not end');
}

function tableOf(n: number): { table: NodeTable; clock: ManualClock } {
  const clock = new ManualClock();
  const table = new NodeTable({ clock }, OPTIONS);
  for (let i = 0; i < n; i++) table.receive(hb(`n${i}`));
  return { table, clock };
}

describe('NodeTable.page', () => {
  it('walks every node once, in pages of `limit`, in slot order', () => {
    const { table } = tableOf(25);
    const pages = walk(table, { limit: 10 });
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, i) => `n${i}`));
    expect(table.page({ limit: 100 }).next).toBeNull();
    expect(new NodeTable({ clock: new ManualClock() }, OPTIONS).page({ limit: 5 })).toEqual({
      nodes: [],
      next: null,
    });
  });

  it('gives full snapshots, as get() does', () => {
    const { table } = tableOf(3);
    expect(table.page({ limit: 1 }).nodes[0]).toEqual(table.get('n0'));
  });

  it('filters by state, tag and id prefix, together', () => {
    const { table } = tableOf(0);
    table.register('web-1', { tags: ['eu', 'web'] });
    table.register('web-2', { tags: ['us'] });
    table.register('db-1', { tags: ['eu'] });
    table.receive(hb('web-3'));
    table.receive(hb('db-2'));
    const ids = (q: Omit<NodePageQuery, 'after' | 'limit'>) =>
      walk(table, { limit: 2, ...q }).flat();
    expect(ids({ state: 'unknown' })).toEqual(['web-1', 'web-2', 'db-1']);
    expect(ids({ state: 'alive' })).toEqual(['web-3', 'db-2']);
    expect(ids({ tag: 'eu' })).toEqual(['web-1', 'db-1']);
    expect(ids({ prefix: 'web-' })).toEqual(['web-1', 'web-2', 'web-3']);
    expect(ids({ prefix: 'web-', tag: 'eu', state: 'unknown' })).toEqual(['web-1']);
    expect(ids({ prefix: 'web-', state: 'dead' })).toEqual([]);
  });

  it('looks at no more than maxScan slots: a sparse filter gives short pages with a next', () => {
    const { table } = tableOf(100);
    table.receive(hb('x-1'));
    const first = table.page({ limit: 10, maxScan: 30, prefix: 'x-' });
    expect(first).toEqual({ nodes: [], next: 29 });
    const pages = walk(table, { limit: 10, maxScan: 30, prefix: 'x-' });
    expect(pages).toEqual([[], [], [], ['x-1']]);
  });

  it('skips removed nodes and reuses nothing twice while the table is unchanged', () => {
    const { table } = tableOf(10);
    for (const id of ['n0', 'n4', 'n9']) table.remove(id);
    expect(walk(table, { limit: 3 }).flat()).toEqual(['n1', 'n2', 'n3', 'n5', 'n6', 'n7', 'n8']);
  });

  it.each([1, 2, 3, 4, 5])(
    'returns every node present for the whole walk exactly once while others come and go (seed %i)',
    (seed) => {
      const rng = new SeededRng(seed);
      const { table } = tableOf(200);
      let made = 200;
      const present = new Set(Array.from({ length: 200 }, (_, i) => `n${i}`));
      const everRemoved = new Set<string>();
      const seen: string[] = [];
      let after: number | undefined;
      for (;;) {
        const page = table.page({ limit: rng.int(1, 20), after });
        seen.push(...page.nodes.map((n) => n.id));
        if (page.next === null) break;
        after = page.next;
        // Between pages: some nodes leave the table, some new ones join (reusing freed slots).
        for (let k = rng.int(0, 6); k > 0; k--) {
          const id = [...present][rng.int(0, present.size - 1)] as string;
          table.remove(id);
          present.delete(id);
          everRemoved.add(id);
        }
        for (let k = rng.int(0, 6); k > 0; k--) {
          const id = `n${made++}`;
          table.receive(hb(id));
          present.add(id);
        }
      }
      const throughout = Array.from({ length: 200 }, (_, i) => `n${i}`).filter(
        (id) => !everRemoved.has(id),
      );
      for (const id of throughout) expect(seen.filter((s) => s === id)).toHaveLength(1);
      // No id at all is returned twice, and none that was never in the table.
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of seen) expect(Number(id.slice(1))).toBeLessThan(made);
    },
  );
});
