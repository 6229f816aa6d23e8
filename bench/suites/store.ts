/**
 * History store: cost of one `appendTransition` (its own committed transaction) on a real file
 * with `synchronous = NORMAL` (the default: survives SIGKILL) and `FULL` (an fsync per commit:
 * survives power loss), against an in-memory database measured in the same run as the baseline.
 * Also a registry upsert and a filtered page of history over a 100 k-row log, and the figure
 * that decides how long a mass failure blocks the monitor: 10 000 transitions appended one by
 * one (one commit each, what the monitor did before its transition journal) against the same
 * 10 000 in one `appendTransitions` batch (one commit, what the journal does), median of rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NodeTransition } from '../../src/membership/types.js';
import { transition } from '../../test/store/transition-fixture.js';
import { SqliteHistoryStore } from '../../src/store/sqlite-store.js';
import { fmt, table, type BenchSuite } from '../harness.js';

const t: NodeTransition = transition({
  nodeId: 'web-17.eu-west.example.com',
  wallMs: 1_763_884_800_123,
});

/** Microseconds per call of `fn` over `n` calls (after `n / 10` warm-up calls). */
function usPerOp(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < n / 10; i++) fn(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - start) * 1000) / n;
}

/** Transitions of a mass failure, for the one-by-one against batch figure. */
const BURST = 10_000;
/** Rounds of that figure; the median is reported (the machine is shared). */
const BURST_ROUNDS = 5;

/** Milliseconds to store BURST transitions, one commit each or one commit for all. */
function burstMs(file: string, batched: boolean): number {
  const store = SqliteHistoryStore.open(file);
  const burst = Array.from({ length: BURST }, (_, i) => ({ ...t, nodeId: `n${i}` }));
  const start = performance.now();
  if (batched) store.appendTransitions(burst);
  else for (const one of burst) store.appendTransition(one);
  const ms = performance.now() - start;
  store.close();
  return ms;
}

/** The median of measurements taken in interleaved rounds. */
function middle(values: readonly number[]): number {
  return [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] as number;
}

const suite: BenchSuite = {
  name: 'store',
  title: 'History store (SQLite)',
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-bench-store-'));
    try {
      const append = (
        file: string,
        options: Parameters<typeof SqliteHistoryStore.open>[1],
        n: number,
      ) => {
        const store = SqliteHistoryStore.open(file, options);
        const us = usPerOp(n, (i) => store.appendTransition({ ...t, nodeId: `n${i % 1000}` }));
        store.close();
        return us;
      };
      const memory = append(':memory:', {}, 20_000);
      const normal = append(path.join(dir, 'normal.db'), { synchronous: 'normal' }, 20_000);
      const full = append(path.join(dir, 'full.db'), { synchronous: 'full' }, 1_000);

      const store = SqliteHistoryStore.open(path.join(dir, 'normal.db'));
      const upsert = usPerOp(20_000, (i) =>
        store.upsertNode({
          id: `n${i % 1000}`,
          address: '10.0.0.1:9000',
          tags: ['eu'],
          intervalMs: 1000,
          incarnation: 1,
          lastSeq: i,
          registered: false,
          createdWallMs: 1_763_884_800_000,
        }),
      );
      // The log now holds ~44 k rows; fill to 100 k for the query figures.
      const fill = store['db'].transaction(() => {
        for (let i = 0; i < 56_000; i++) store.appendTransition({ ...t, nodeId: `n${i % 1000}` });
      });
      fill();
      const pageAll = usPerOp(2_000, () => store.transitions({ limit: 100 }));
      const pageNode = usPerOp(2_000, (i) =>
        store.transitions({ nodeId: `n${i % 1000}`, limit: 100 }),
      );
      const pageState = usPerOp(2_000, () => store.transitions({ state: 'suspect', limit: 100 }));
      store.close();

      // Rounds alternate so that load on the shared machine falls on both alike.
      const oneByOne: number[] = [];
      const batch: number[] = [];
      for (let round = 0; round < BURST_ROUNDS; round++) {
        oneByOne.push(burstMs(path.join(dir, `burst-single-${round}.db`), false));
        batch.push(burstMs(path.join(dir, `burst-batch-${round}.db`), true));
      }
      const singleMs = middle(oneByOne);
      const batchMs = middle(batch);
      const burstRow = (name: string, ms: number) => [
        name,
        fmt(ms, 1),
        fmt((ms * 1000) / BURST, 1),
        `${fmt(ms / batchMs, 1)}×`,
      ];

      const row = (name: string, us: number, base: number | null) => [
        name,
        fmt(us, 1),
        fmt(1e6 / us, 0),
        base === null ? '' : `${fmt(us / base, 1)}×`,
      ];
      return [
        'Each single append is its own committed transaction (what the monitor did per transition ' +
          'before its transition journal; a registration through the API still is one).',
        '',
        table(
          ['operation', 'µs/op', 'ops/s', 'vs in-memory append'],
          [
            row('append, :memory: (baseline)', memory, memory),
            row('append, file, synchronous=NORMAL (default)', normal, memory),
            row('append, file, synchronous=FULL', full, memory),
            row('upsertNode, file, NORMAL', upsert, memory),
            row('page of 100, newest, 100 k rows', pageAll, null),
            row('page of 100, one node, 100 k rows', pageNode, null),
            row('page of 100, one state, 100 k rows', pageState, null),
          ],
        ),
        '',
        `FULL costs ${fmt(full / normal, 1)}× NORMAL per append here: 10 000 transitions committed ` +
          `one by one would block the event loop for ~${fmt((normal * 10_000) / 1000, 0)} ms with ` +
          `NORMAL and ~${fmt((full * 10_000) / 1000, 0)} ms with FULL. The temp directory's file ` +
          'system decides the FULL figure (tmpfs does not flush).',
        '',
        `A mass failure: ${fmt(BURST, 0)} transitions into a fresh file (NORMAL), median of ` +
          `${BURST_ROUNDS} alternating rounds. The monitor's transition journal stores each turn ` +
          'of the event loop as one batch (one commit).',
        '',
        table(
          ['10 000 transitions', 'ms', 'µs/transition', 'vs one batch'],
          [
            burstRow('one by one, a commit each (the monitor before the journal)', singleMs),
            burstRow('one appendTransitions batch, one commit (baseline)', batchMs),
          ],
        ),
        '',
        `Rounds, one by one: ${oneByOne.map((x) => fmt(x, 0)).join(', ')} ms; batched: ` +
          `${batch.map((x) => fmt(x, 0)).join(', ')} ms.`,
        '',
        `1-minute load average at the end of the run: ${fmt(loadavg()[0] ?? 0, 1)} ` +
          '(other processes shared the cores; absolute figures scale with it, ratios less so).',
      ].join('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
