import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { MAX_JOURNAL_ENTRIES } from '../../src/core/limits.js';
import type { NodeTransition } from '../../src/membership/types.js';
import {
  TransitionJournal,
  type TransitionEventName,
  type TransitionJournalOptions,
} from '../../src/monitor/transition-journal.js';
import type { StoreBatch } from '../../src/store/history-store.js';
import { transition } from '../store/transition-fixture.js';

/** Row ids as a store hands them out: one per transition, growing. */
function idsFor(batch: StoreBatch, next: { id: number }): number[] {
  return batch.transitions.map(() => next.id++);
}

/** A journal whose commits and announcements are written to one log, in the order they happen. */
function setup(init: TransitionJournalOptions = {}, failCommit = false) {
  const clock = new ManualClock();
  const log: string[] = [];
  const batches: StoreBatch[] = [];
  const next = { id: 1 };
  const errors: string[] = [];
  const journal = new TransitionJournal(
    {
      clock,
      commit: (batch) => {
        batches.push(batch);
        const registry = batch.registry.map((w) =>
          w.kind === 'upsert' ? `+${w.record.id}` : `-${w.id}`,
        );
        log.push(`commit ${[...registry, ...batch.transitions.map((t) => t.nodeId)].join(',')}`);
        if (failCommit) throw new Error('disk full');
        return idsFor(batch, next);
      },
      announce: (event, t) => log.push(`${event} ${t.nodeId}`),
      onError: (stage, error) => errors.push(`${stage}: ${(error as Error).message}`),
    },
    init,
  );
  const add = (nodeId: string, event: TransitionEventName = 'node:dead'): NodeTransition => {
    const t = transition({ nodeId });
    journal.addTransition(event, t);
    return t;
  };
  return { clock, journal, log, batches, errors, add };
}

const record = (id: string) => ({
  id,
  address: null,
  tags: [],
  intervalMs: null,
  incarnation: 1,
  lastSeq: 1,
  registered: false,
  createdWallMs: 0,
});

describe('TransitionJournal', () => {
  it('commits one turn of transitions on a zero-delay timer, then announces them in order', () => {
    const { clock, journal, log, add } = setup();
    add('a', 'node:suspect');
    journal.addRegistryWrite({ kind: 'upsert', record: record('b') });
    add('b', 'node:joined');
    add('c');
    expect(log).toEqual([]);
    expect(journal.pending).toBe(4);
    expect(clock.pendingTimers()).toBe(1); // one timer for the whole turn
    clock.advance(0);
    expect(log).toEqual(['commit +b,a,b,c', 'node:suspect a', 'node:joined b', 'node:dead c']);
    expect(journal.pending).toBe(0);
    expect(journal.stats()).toEqual({
      commits: 1,
      earlyCommits: 0,
      failedCommits: 0,
      announced: 3,
      unstored: 0,
      dropped: 0,
    });
    clock.advance(1000);
    expect(log).toHaveLength(4); // nothing more to do: no timer left behind
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps registry writes in order and commits a batch of registry writes alone', () => {
    const { clock, journal, batches, log } = setup();
    journal.addRegistryWrite({ kind: 'upsert', record: record('a') });
    journal.addRegistryWrite({ kind: 'delete', id: 'a' });
    journal.addRegistryWrite({ kind: 'upsert', record: record('a') });
    clock.advance(0);
    expect(log).toEqual(['commit +a,-a,+a']);
    expect(batches[0]?.transitions).toEqual([]);
  });

  it('commits early when it holds maxEntries, and still announces in order', () => {
    const { clock, journal, log, add } = setup({ maxEntries: 3 });
    add('a');
    add('b');
    expect(log).toEqual([]);
    add('c'); // the third entry reaches the bound: committed and announced now
    expect(log).toEqual(['commit a,b,c', 'node:dead a', 'node:dead b', 'node:dead c']);
    add('d');
    clock.advance(0);
    expect(log.slice(4)).toEqual(['commit d', 'node:dead d']);
    expect(journal.stats()).toMatchObject({ commits: 2, earlyCommits: 1 });
  });

  it('clamps maxEntries to 1…MAX_JOURNAL_ENTRIES', () => {
    const tiny = setup({ maxEntries: 0 });
    tiny.add('a');
    expect(tiny.log).toEqual(['commit a', 'node:dead a']);
    const huge = setup({ maxEntries: Number.POSITIVE_INFINITY });
    for (let i = 0; i < MAX_JOURNAL_ENTRIES - 1; i++) huge.add(`n${i}`);
    expect(huge.log).toEqual([]);
    huge.add('last');
    expect(huge.batches).toHaveLength(1);
    expect(huge.batches[0]?.transitions).toHaveLength(MAX_JOURNAL_ENTRIES);
  });

  it('announces a batch whose commit failed, after reporting the failure', () => {
    const { clock, journal, log, errors, add } = setup({}, true);
    add('a');
    clock.advance(0);
    expect(errors).toEqual(['commit: disk full']);
    expect(log).toEqual(['commit a', 'node:dead a']);
    expect(journal.stats()).toMatchObject({ commits: 1, failedCommits: 1, announced: 1 });
  });

  it('a flush from inside an announcement commits at once but announces after the current batch', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    let journal: TransitionJournal | undefined = undefined;
    journal = new TransitionJournal({
      clock,
      commit: (batch) => {
        log.push(`commit ${batch.transitions.map((t) => t.nodeId).join(',')}`);
        return batch.transitions.map(() => 0);
      },
      announce: (_event, t) => {
        log.push(`announce ${t.nodeId}`);
        if (t.nodeId === 'a') {
          journal?.addTransition('node:joined', transition({ nodeId: 'x' }));
          void journal?.flush(); // as `monitor.register` does
        }
      },
      onError: () => {},
    });
    journal.addTransition('node:dead', transition({ nodeId: 'a' }));
    journal.addTransition('node:dead', transition({ nodeId: 'b' }));
    clock.advance(0);
    expect(log).toEqual(['commit a,b', 'announce a', 'commit x', 'announce b', 'announce x']);
  });

  it('an announcement that throws is reported and the others still run', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const errors: string[] = [];
    const journal = new TransitionJournal({
      clock,
      commit: (batch) => batch.transitions.map(() => 0),
      announce: (_event, t) => {
        if (t.nodeId === 'a') throw new Error('listener bug');
        seen.push(t.nodeId);
      },
      onError: (stage, error) => errors.push(`${stage}: ${(error as Error).message}`),
    });
    journal.addTransition('node:dead', transition({ nodeId: 'a' }));
    journal.addTransition('node:dead', transition({ nodeId: 'b' }));
    clock.advance(0);
    expect(seen).toEqual(['b']);
    expect(errors).toEqual(['announce: listener bug']);
  });

  it('stop flushes what is pending and commits later additions at once', () => {
    const { clock, journal, log, add } = setup();
    add('a');
    void journal.stop();
    expect(log).toEqual(['commit a', 'node:dead a']);
    expect(clock.pendingTimers()).toBe(0);
    add('b');
    expect(log.slice(2)).toEqual(['commit b', 'node:dead b']);
    expect(clock.pendingTimers()).toBe(0);
  });
});
