/**
 * The step between the node table and the outside world that makes announcements durable: it
 * collects the transitions (and registry writes) of one turn of the event loop, stores them in
 * one transaction on a zero-delay clock timer, and only then hands the transitions, in order and
 * each with its history row id, to the sinks that announce them (actions, SSE, metrics,
 * `monitor.on` listeners).
 *
 * Why: a commit costs hundreds of µs on a loaded disk and a batch of thousands costs little
 * more, so a mass failure of 10 000 nodes is one commit instead of 10 000 that block the event
 * loop for seconds. Why announce after the commit: nothing anyone was told about can be missing
 * from the history after a crash. A crash between the table's transition and the commit loses
 * only transitions nobody was told about (docs/PAUSE-GUARD.md, "Across a restart").
 *
 * A store may answer at once (SQLite) or later (a database over the network): one commit is in
 * flight at a time, and what arrives meanwhile waits for the next.
 *
 * When a commit fails (a full disk): a monitor that cannot write its history must still report
 * failures, so the batch is announced at once, without row ids, and kept; the journal retries
 * the kept batches, oldest first and before anything newer, with a growing delay, until the
 * store takes them. Nothing announced is lost unless the store stays down past
 * MAX_UNSTORED_ENTRIES (then the oldest are dropped and counted).
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import { MAX_JOURNAL_ENTRIES, MAX_UNSTORED_ENTRIES } from '../core/limits.js';
import type { NodeTransition, TransitionEventName } from '../membership/types.js';
import type { RegistryWrite, StoreBatch } from '../store/history-store.js';
import type { StoreStateEvent as StoreState } from './events.js';

/** The node-lifecycle event a transition was emitted as (`node:dead`, …; membership/types.ts). */
export type { TransitionEventName };

export interface TransitionJournalComponents {
  clock: Clock;
  /**
   * Stores a batch in one transaction, all or nothing, and returns its transitions' row ids
   * (or a promise of them); throws or rejects when it cannot, having stored nothing.
   */
  commit: (batch: StoreBatch) => readonly number[] | Promise<readonly number[]>;
  /**
   * Announces one transition; called in the order of the table, with its history row id, or
   * null when the store could not take it yet (it is kept and retried).
   */
  announce: (event: TransitionEventName, transition: NodeTransition, id: number | null) => void;
  /** A commit (`stage: 'commit'`) or an announcement (`'announce'`) threw. */
  onError: (stage: 'commit' | 'announce', error: unknown) => void;
  /**
   * The store stopped taking writes (`ok` false, at the first failed commit) or takes them
   * again (`ok` true, with how many kept entries that commit stored).
   */
  onStoreState?: (state: StoreState) => void;
}

export interface TransitionJournalOptions {
  /**
   * Entries (transitions plus registry writes) held before committing early, without waiting
   * for the timer. Clamped to 1…MAX_JOURNAL_ENTRIES.
   * @default MAX_JOURNAL_ENTRIES: a whole node-table tick still commits as one transaction.
   */
  maxEntries?: number;
  /** First delay before retrying a failed commit; doubles up to `retryMaxMs`. @default 1000 */
  retryMs?: number;
  /** @default 30_000 */
  retryMaxMs?: number;
}

export interface JournalStats {
  /** Commits attempted. */
  commits: number;
  /** Of those, commits made because the journal reached `maxEntries` before its timer. */
  earlyCommits: number;
  /** Of those, commits that failed (their new transitions were announced anyway, and kept). */
  failedCommits: number;
  /** Transitions announced. */
  announced: number;
  /** Entries announced or acknowledged but not yet stored, waiting for a retry. */
  unstored: number;
  /** Entries dropped because the store stayed down past MAX_UNSTORED_ENTRIES. */
  dropped: number;
}

/** Entries of one batch: what is stored, and how to announce its transitions. */
interface Batch {
  registry: RegistryWrite[];
  events: TransitionEventName[];
  transitions: NodeTransition[];
}

/** A batch stored, with its transitions' ids, waiting to be announced. */
interface Stored {
  batch: Batch;
  ids: readonly number[];
}

const emptyBatch = (): Batch => ({ registry: [], events: [], transitions: [] });
const entries = (b: Batch): number => b.registry.length + b.transitions.length;

export class TransitionJournal {
  private readonly clock: Clock;
  private readonly commit: TransitionJournalComponents['commit'];
  private readonly announce: TransitionJournalComponents['announce'];
  private readonly onError: TransitionJournalComponents['onError'];
  private readonly onStoreState: TransitionJournalComponents['onStoreState'];
  /** The last commit failed. */
  private failing = false;
  private readonly maxEntries: number;
  private readonly retryMs: number;
  private readonly retryMaxMs: number;
  private current: Batch = emptyBatch();
  /** Batches whose commit failed, oldest first: already announced, to be stored first. */
  private unstored: Batch[] = [];
  private unstoredEntries = 0;
  /** Stored batches waiting to be announced, oldest first. */
  private readonly outbox: Stored[] = [];
  private announcing = false;
  /** The commit in flight (an asynchronous store), and what it settles to. */
  private inFlight: Promise<void> | null = null;
  private lastError: unknown = null;
  private timer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private retryDelayMs: number;
  private stopped = false;
  private readonly counts: JournalStats = {
    commits: 0,
    earlyCommits: 0,
    failedCommits: 0,
    announced: 0,
    unstored: 0,
    dropped: 0,
  };
  /** The timer callbacks, bound once. */
  private readonly onTimerBound = (): void => {
    this.timer = undefined;
    this.run(false);
  };
  private readonly onRetryBound = (): void => {
    this.retryTimer = undefined;
    this.run(true);
  };

  constructor(components: TransitionJournalComponents, init: TransitionJournalOptions = {}) {
    this.clock = components.clock;
    this.commit = components.commit;
    this.announce = components.announce;
    this.onError = components.onError;
    this.onStoreState = components.onStoreState;
    const max = init.maxEntries ?? MAX_JOURNAL_ENTRIES;
    this.maxEntries = Math.min(
      MAX_JOURNAL_ENTRIES,
      Math.max(1, Number.isFinite(max) ? Math.floor(max) : MAX_JOURNAL_ENTRIES),
    );
    this.retryMs = Math.max(1, init.retryMs ?? 1000);
    this.retryMaxMs = Math.max(this.retryMs, init.retryMaxMs ?? 30_000);
    this.retryDelayMs = this.retryMs;
  }

  /** Transitions and registry writes waiting for their commit (kept ones included). */
  get pending(): number {
    return entries(this.current) + this.unstoredEntries;
  }

  stats(): JournalStats {
    return { ...this.counts, unstored: this.unstoredEntries };
  }

  /** Takes a transition the table just emitted as `event`; it is announced once stored. */
  addTransition(event: TransitionEventName, transition: NodeTransition): void {
    this.current.events.push(event);
    this.current.transitions.push(transition);
    this.added();
  }

  /** Takes a registry write; it is stored in the same transaction as the transitions around it. */
  addRegistryWrite(write: RegistryWrite): void {
    this.current.registry.push(write);
    this.added();
  }

  /**
   * Commits what is pending now and announces every stored transition not yet announced; the
   * promise settles when what was pending at the call is stored, and rejects with the store's
   * error when it could not be (the entries are kept for a retry). With a synchronous store all
   * of it has happened when `flush` returns. Safe to call from an announcement (a listener that
   * registers a node): what it adds is committed at once and announced after the batch being
   * announced, so the order holds.
   */
  flush(): Promise<void> {
    const settled = this.run(true);
    const check = (): void => {
      if (this.unstoredEntries > 0) throw this.lastError;
    };
    return settled === undefined ? Promise.resolve().then(check) : settled.then(check);
  }

  /** Flushes, and from now on commits every addition at once (there is no later turn to wait for). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    await this.flush().catch(() => {
      // Reported through onError already; what is kept is lost with the process.
    });
  }

  private added(): void {
    if (this.stopped) {
      this.run(true);
    } else if (entries(this.current) >= this.maxEntries) {
      this.counts.earlyCommits++;
      this.run(false);
    } else if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(this.onTimerBound, 0);
    }
  }

  /**
   * Commits the kept batches and the current one as one transaction, unless a commit is in
   * flight (then the current batch waits for it). While a failed commit waits for its retry, a
   * turn's batch is not tried (`force` false: the store was just seen failing) but announced
   * and kept with the others. Returns the promise of an asynchronous commit, or undefined when
   * everything happened now.
   */
  private run(force: boolean): Promise<void> | undefined {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.inFlight !== null) return this.inFlight.then(() => this.run(force));
    if (!force && this.retryTimer !== undefined) {
      this.keep(this.current);
      this.current = emptyBatch();
      return undefined;
    }
    if (this.pending === 0) {
      this.announceStored();
      return undefined;
    }
    const fresh = this.current;
    const kept = this.unstored;
    this.current = emptyBatch();
    this.unstored = [];
    this.unstoredEntries = 0;
    this.counts.commits++;
    const batch = kept.length === 0 ? fresh : merge([...kept, fresh]);
    let result: readonly number[] | Promise<readonly number[]>;
    try {
      result = this.commit({ registry: batch.registry, transitions: batch.transitions });
    } catch (error) {
      this.failed(kept, fresh, error);
      return undefined;
    }
    if (!isPromise(result)) {
      this.stored(kept, fresh, result);
      return undefined;
    }
    const settled = result.then(
      (ids) => this.stored(kept, fresh, ids),
      (error: unknown) => this.failed(kept, fresh, error),
    );
    this.inFlight = settled.finally(() => {
      this.inFlight = null;
    });
    return this.inFlight.then(() => {
      if (entries(this.current) > 0 && this.retryTimer === undefined) return this.run(false);
      return undefined;
    });
  }

  /** Announces a batch now, without ids, and keeps it for the retry. */
  private keep(fresh: Batch): void {
    if (entries(fresh) === 0) return;
    this.unstored.push(fresh);
    this.unstoredEntries += entries(fresh);
    this.dropOverflow();
    if (fresh.transitions.length > 0) this.outbox.push({ batch: fresh, ids: [] });
    this.announceStored();
  }

  private stored(kept: Batch[], fresh: Batch, ids: readonly number[]): void {
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.retryDelayMs = this.retryMs;
    this.lastError = null;
    if (this.failing) {
      this.failing = false;
      this.onStoreState?.({ ok: true, stored: kept.reduce((n, b) => n + entries(b), 0) });
    }
    // The kept transitions were announced when their commit failed; only the fresh ones now.
    const keptTransitions = kept.reduce((n, b) => n + b.transitions.length, 0);
    if (fresh.transitions.length > 0) {
      this.outbox.push({ batch: fresh, ids: ids.slice(keptTransitions) });
    }
    this.announceStored();
  }

  private failed(kept: Batch[], fresh: Batch, error: unknown): void {
    this.counts.failedCommits++;
    this.lastError = error;
    this.onError('commit', error);
    // Kept ones first: they are older than anything kept while this commit was in flight.
    this.unstored = [...kept, ...this.unstored];
    this.unstoredEntries = this.unstored.reduce((n, b) => n + entries(b), 0);
    // A monitor that cannot write its history still reports failures: announce now, no ids.
    this.keep(fresh);
    if (!this.failing) {
      this.failing = true;
      this.onStoreState?.({ ok: false, error, unstored: this.unstoredEntries });
    }
    if (this.retryTimer === undefined && !this.stopped) {
      this.retryTimer = this.clock.setTimeout(this.onRetryBound, this.retryDelayMs);
      this.retryDelayMs = Math.min(this.retryMaxMs, 2 * this.retryDelayMs);
    }
  }

  private dropOverflow(): void {
    while (this.unstoredEntries > MAX_UNSTORED_ENTRIES && this.unstored.length > 1) {
      const oldest = this.unstored.shift() as Batch;
      this.unstoredEntries -= entries(oldest);
      this.counts.dropped += entries(oldest);
    }
  }

  private announceStored(): void {
    if (this.announcing) return; // the announcing loop below picks up what was just stored
    this.announcing = true;
    try {
      for (let next = this.outbox.shift(); next !== undefined; next = this.outbox.shift()) {
        const { events, transitions } = next.batch;
        for (let i = 0; i < transitions.length; i++) {
          this.counts.announced++;
          try {
            this.announce(
              events[i] as TransitionEventName,
              transitions[i] as NodeTransition,
              next.ids[i] ?? null,
            );
          } catch (error) {
            this.onError('announce', error);
          }
        }
      }
    } finally {
      this.announcing = false;
    }
  }
}

function merge(batches: Batch[]): Batch {
  const all = emptyBatch();
  for (const b of batches) {
    for (const write of b.registry) all.registry.push(write);
    for (let i = 0; i < b.transitions.length; i++) {
      all.events.push(b.events[i] as TransitionEventName);
      all.transitions.push(b.transitions[i] as NodeTransition);
    }
  }
  return all;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
