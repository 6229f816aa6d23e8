/**
 * The step between the node table and the outside world that makes announcements durable: it
 * collects the transitions (and registry writes) of one turn of the event loop, stores them in
 * one transaction on a zero-delay clock timer, and only then hands the transitions, in order, to
 * the sinks that announce them (actions, SSE, metrics, `monitor.on` listeners).
 *
 * Why: a commit costs hundreds of µs on a loaded disk and a batch of thousands costs little
 * more, so a mass failure of 10 000 nodes is one commit instead of 10 000 that block the event
 * loop for seconds. Why announce after the commit: nothing anyone was told about can be missing
 * from the history after a crash. A crash between the table's transition and the commit loses
 * only transitions nobody was told about; the restored nodes are `unknown` and re-evaluated
 * after the restart (docs/API.md, "Durability of announced events").
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import { MAX_JOURNAL_ENTRIES } from '../core/limits.js';
import type { NodeTransition } from '../membership/types.js';
import type { NodeRecord } from '../store/history-store.js';
import type { TRANSITION_EVENT_NAMES } from './events.js';

/** The node-lifecycle event a transition was emitted as (`node:dead`, …). */
export type TransitionEventName = (typeof TRANSITION_EVENT_NAMES)[number];

/** A write to the node registry, kept in order with the others. */
export type RegistryWrite = { kind: 'upsert'; record: NodeRecord } | { kind: 'delete'; id: string };

/** What one commit stores: registry writes in order, then transitions in order. */
export interface JournalBatch {
  registry: readonly RegistryWrite[];
  transitions: readonly NodeTransition[];
}

export interface TransitionJournalComponents {
  clock: Clock;
  /** Stores a batch in one transaction, all or nothing; throws when it cannot. */
  commit: (batch: JournalBatch) => void;
  /** Announces one stored transition to the outside; called in the order of the table. */
  announce: (event: TransitionEventName, transition: NodeTransition) => void;
  /**
   * A commit (`stage: 'commit'`) or an announcement (`'announce'`) threw. A batch whose commit
   * failed is still announced: a monitor that cannot write its history still reports failures.
   */
  onError: (stage: 'commit' | 'announce', error: unknown) => void;
}

export interface TransitionJournalOptions {
  /**
   * Entries (transitions plus registry writes) held before committing early, without waiting
   * for the timer. Clamped to 1…MAX_JOURNAL_ENTRIES.
   * @default MAX_JOURNAL_ENTRIES: a whole node-table tick still commits as one transaction.
   */
  maxEntries?: number;
}

export interface JournalStats {
  /** Commits attempted (one per batch). */
  commits: number;
  /** Of those, commits made because the journal reached `maxEntries` before its timer. */
  earlyCommits: number;
  /** Of those, commits that threw (their batches were announced anyway). */
  failedCommits: number;
  /** Transitions announced. */
  announced: number;
}

interface Committed {
  events: TransitionEventName[];
  transitions: NodeTransition[];
}

export class TransitionJournal {
  private readonly clock: Clock;
  private readonly commit: TransitionJournalComponents['commit'];
  private readonly announce: TransitionJournalComponents['announce'];
  private readonly onError: TransitionJournalComponents['onError'];
  private readonly maxEntries: number;
  private events: TransitionEventName[] = [];
  private transitions: NodeTransition[] = [];
  private registry: RegistryWrite[] = [];
  /** Stored batches waiting to be announced, oldest first. */
  private readonly outbox: Committed[] = [];
  private announcing = false;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly counts: JournalStats = {
    commits: 0,
    earlyCommits: 0,
    failedCommits: 0,
    announced: 0,
  };
  /** The timer callback, bound once. */
  private readonly onTimerBound = (): void => {
    this.timer = undefined;
    this.flush();
  };

  constructor(components: TransitionJournalComponents, init: TransitionJournalOptions = {}) {
    this.clock = components.clock;
    this.commit = components.commit;
    this.announce = components.announce;
    this.onError = components.onError;
    const max = init.maxEntries ?? MAX_JOURNAL_ENTRIES;
    this.maxEntries = Math.min(
      MAX_JOURNAL_ENTRIES,
      Math.max(1, Number.isFinite(max) ? Math.floor(max) : MAX_JOURNAL_ENTRIES),
    );
  }

  /** Transitions and registry writes waiting for their commit. */
  get pending(): number {
    return this.transitions.length + this.registry.length;
  }

  stats(): JournalStats {
    return { ...this.counts };
  }

  /** Takes a transition the table just emitted as `event`; it is announced once stored. */
  addTransition(event: TransitionEventName, transition: NodeTransition): void {
    this.events.push(event);
    this.transitions.push(transition);
    this.added();
  }

  /** Takes a registry write; it is stored in the same transaction as the transitions around it. */
  addRegistryWrite(write: RegistryWrite): void {
    this.registry.push(write);
    this.added();
  }

  /**
   * Commits what is pending now and announces every stored transition not yet announced. Safe to
   * call from an announcement (a listener that registers a node): what it adds is committed at
   * once and announced after the batch being announced, so the order holds.
   */
  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.commitPending();
    this.announceCommitted();
  }

  /** Flushes, and from now on commits every addition at once (there is no later turn to wait for). */
  stop(): void {
    this.flush();
    this.stopped = true;
  }

  private added(): void {
    if (this.stopped) {
      this.flush();
    } else if (this.pending >= this.maxEntries) {
      this.counts.earlyCommits++;
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(this.onTimerBound, 0);
    }
  }

  private commitPending(): void {
    if (this.pending === 0) return;
    const batch: JournalBatch = { registry: this.registry, transitions: this.transitions };
    const committed: Committed = { events: this.events, transitions: this.transitions };
    this.events = [];
    this.transitions = [];
    this.registry = [];
    this.counts.commits++;
    try {
      this.commit(batch);
    } catch (error) {
      this.counts.failedCommits++;
      this.onError('commit', error);
    }
    if (committed.transitions.length > 0) this.outbox.push(committed);
  }

  private announceCommitted(): void {
    if (this.announcing) return; // the announcing loop below picks up what was just committed
    this.announcing = true;
    try {
      for (let batch = this.outbox.shift(); batch !== undefined; batch = this.outbox.shift()) {
        const { events, transitions } = batch;
        for (let i = 0; i < transitions.length; i++) {
          this.counts.announced++;
          try {
            this.announce(events[i] as TransitionEventName, transitions[i] as NodeTransition);
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
