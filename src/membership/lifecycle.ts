/**
 * The node lifecycle as a pure function: given a node's state, what happened to it and the facts
 * that decide, the next state, the reason, the event that announces it and which deadline the
 * node gets next. The node table applies the answer; the rules can be read and table-tested
 * here in one place (test/membership/lifecycle.test.ts). docs/MEMBERSHIP.md describes the states.
 */
import type { NodeState, TransitionEventName, TransitionReason } from './types.js';

/**
 * What can happen to a node in the table:
 * - `heartbeat`: a heartbeat was accepted (arrival.ts: fresh or resync);
 * - `restart`: an accepted heartbeat carries a new incarnation;
 * - `leave`: the node said goodbye (a leave message that is not stale);
 * - `deadline`: its deadline is due (the startup grace, the detector's, the dead grace, or the
 *   time to forget it: for a dead or left node that is when it expires);
 * - `report`: a failure was reported for it (`reportFailure`);
 * - `remove`: it is removed from the table (`remove`).
 */
export const LIFECYCLE_EVENTS = [
  'heartbeat',
  'restart',
  'leave',
  'deadline',
  'report',
  'remove',
] as const;

export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/**
 * Which deadline the node gets. Times that count from when the node entered its state are
 * never set before now (after a transition that is now; after a restore or a reload it may be
 * earlier).
 * - `keep`: nothing happened; the deadline stays as it is;
 * - `none`: no deadline;
 * - `startup-grace`: dead when not heard from within the startup grace from its registration;
 * - `suspect-at`: the detector's suspicion time, after a heartbeat; a queued deadline only moves
 *   earlier (a later one costs one spurious `deadline` event, which answers `recheck`, instead
 *   of a move to the bottom of the heap on every heartbeat);
 * - `recheck`: the detector's suspicion time, exactly;
 * - `dead-grace`: dead when still suspect after the dead grace from the suspicion;
 * - `forget`: expires after `forgetAfterMs` from when it died or left.
 */
export const DEADLINE_RULES = [
  'keep',
  'none',
  'startup-grace',
  'suspect-at',
  'recheck',
  'dead-grace',
  'forget',
] as const;

export type DeadlineRule = (typeof DEADLINE_RULES)[number];

/** What decides between outcomes; each fact matters to one event only. */
export interface LifecycleFacts {
  /** For `deadline` on an alive node: its detector's suspicion time has come. */
  suspected: boolean;
  /**
   * For `heartbeat` to a suspect or dead node: the first heartbeat ever heard from it (it was
   * registered and convicted before it came up), so it is not a recovery from a failure seen.
   */
  firstHeartbeat: boolean;
  /** Dead and left nodes are forgotten after a time (the table has `forgetAfterMs`). */
  forgets: boolean;
}

export interface LifecycleStep {
  /** The state after the step; for a removal, the state the node was removed in. */
  to: NodeState;
  /** Why; null when the state does not change and nothing is announced. */
  reason: TransitionReason | null;
  /** The event that announces it; null with `reason`. */
  event: TransitionEventName | null;
  deadline: DeadlineRule;
  /**
   * A heartbeat after leaving: the node first joins again (`node:joined`, left → unknown,
   * reason `heartbeat`), then takes this step from `unknown`.
   */
  rejoins: boolean;
  /** The node leaves the table (removed or expired); its history stays. */
  removes: boolean;
}

function step(
  to: NodeState,
  reason: TransitionReason | null,
  event: TransitionEventName | null,
  deadline: DeadlineRule,
  flags: { rejoins?: boolean; removes?: boolean } = {},
): LifecycleStep {
  return Object.freeze({
    to,
    reason,
    event,
    deadline,
    rejoins: flags.rejoins ?? false,
    removes: flags.removes ?? false,
  });
}

/** Steps by state, made once: the table takes one per heartbeat and allocates nothing. */
type ByState = Readonly<Record<NodeState, LifecycleStep>>;
const byState = (make: (state: NodeState) => LifecycleStep): ByState => ({
  unknown: make('unknown'),
  alive: make('alive'),
  suspect: make('suspect'),
  dead: make('dead'),
  left: make('left'),
});

const HEARD = step('alive', null, null, 'suspect-at');
const CAME_UP = step('alive', 'first-heartbeat', 'node:alive', 'suspect-at');
const REJOINED = step('alive', 'first-heartbeat', 'node:alive', 'suspect-at', { rejoins: true });
const RECOVERED = step('alive', 'heartbeat', 'node:recovered', 'suspect-at');
const RECOVERED_FIRST = step('alive', 'first-heartbeat', 'node:recovered', 'suspect-at');
const RESTARTED = step('alive', 'restarted', 'node:restarted', 'suspect-at');
const SUSPECTED = step('suspect', 'detector', 'node:suspect', 'dead-grace');
const RECHECK = step('alive', null, null, 'recheck');
const UNCHANGED = byState((s) => step(s, null, null, 'keep'));
const NO_DEADLINE = byState((s) => step(s, null, null, 'none'));
const REMOVED = byState((s) => step(s, 'removed', 'node:removed', 'none', { removes: true }));
const EXPIRED = byState((s) => step(s, 'expired', 'node:removed', 'none', { removes: true }));

/** Steps into `dead` or `left`, whose deadline is to forget the node, when it is ever forgotten. */
const ending = (to: 'dead' | 'left', reason: TransitionReason, event: TransitionEventName) => ({
  forgets: step(to, reason, event, 'forget'),
  keeps: step(to, reason, event, 'none'),
});
const NEVER_CAME_UP = ending('dead', 'never-came-up', 'node:dead');
const DEAD_GRACE_EXPIRED = ending('dead', 'dead-grace-expired', 'node:dead');
const REPORTED = ending('dead', 'reported-failure', 'node:dead');
const LEFT = ending('left', 'leave', 'node:left');

/**
 * The next step of a node in `state` on `event`. The rules:
 * - A heartbeat makes the node alive: `unknown` comes up (`node:alive`), `suspect` and `dead`
 *   recover (`node:recovered`; reason `first-heartbeat` when it is the first heartbeat ever heard
 *   from it), `left` joins again and comes up; to an alive node it only moves the deadline.
 * - A restart (new incarnation) makes it alive from any state (`node:restarted`), except from
 *   `left`, where it is a heartbeat after leaving.
 * - A leave makes it `left` from any state but `left` (then it is stale, counted by the caller).
 * - A due deadline convicts: `unknown` is dead (never came up), `alive` suspect when its detector
 *   says so (else it is re-checked at the detector's time: it was heard from since), `suspect`
 *   dead (dead grace expired); a `dead` or `left` node expires (leaves the table) when nodes are
 *   forgotten, else it has no deadline.
 * - A reported failure makes it dead at once from any state but `dead`, `left` included.
 * - A removal takes it out of the table in whatever state it is.
 * After a conviction, a leave or a report the deadline is the one of the new state
 * (`stateDeadline`); after a heartbeat it is the detector's (`suspect-at`).
 */
export function nextStep(
  state: NodeState,
  event: LifecycleEvent,
  facts: LifecycleFacts,
): LifecycleStep {
  switch (event) {
    case 'heartbeat':
      return heartbeatStep(state, false, facts.firstHeartbeat);
    case 'restart':
      return heartbeatStep(state, true, facts.firstHeartbeat);
    case 'leave':
      if (state === 'left') return UNCHANGED.left;
      return facts.forgets ? LEFT.forgets : LEFT.keeps;
    case 'deadline':
      switch (state) {
        case 'unknown':
          return facts.forgets ? NEVER_CAME_UP.forgets : NEVER_CAME_UP.keeps;
        case 'alive':
          return facts.suspected ? SUSPECTED : RECHECK;
        case 'suspect':
          return facts.forgets ? DEAD_GRACE_EXPIRED.forgets : DEAD_GRACE_EXPIRED.keeps;
        default:
          return facts.forgets ? EXPIRED[state] : NO_DEADLINE[state];
      }
    case 'report':
      if (state === 'dead') return UNCHANGED.dead;
      return facts.forgets ? REPORTED.forgets : REPORTED.keeps;
    case 'remove':
      return REMOVED[state];
  }
}

/**
 * `nextStep` for an accepted heartbeat (`restart`: with a new incarnation), on its own: the
 * node table's hot path calls it directly, a small function the compiler inlines.
 */
export function heartbeatStep(
  state: NodeState,
  restart: boolean,
  firstHeartbeat: boolean,
): LifecycleStep {
  if (state === 'alive' && !restart) return HEARD;
  if (state === 'left') return REJOINED;
  if (restart) return RESTARTED;
  if (state === 'unknown') return CAME_UP;
  return firstHeartbeat ? RECOVERED_FIRST : RECOVERED;
}

/**
 * The deadline a node has in `state`, counted from when it entered it: for a node restored
 * after a monitor restart, or for every node when the settings change (a configuration reload).
 */
export function stateDeadline(state: NodeState, forgets: boolean): DeadlineRule {
  switch (state) {
    case 'unknown':
      return 'startup-grace';
    case 'alive':
      return 'recheck';
    case 'suspect':
      return 'dead-grace';
    default:
      return forgets ? 'forget' : 'none';
  }
}

/**
 * The event a transition was announced as, from its states and reason (what `nextStep`
 * announces): for a stored row, which keeps no event name. A reason this release does not know
 * is read by the states alone.
 */
export function transitionEventName(t: {
  from: NodeState;
  to: NodeState;
  reason: TransitionReason | string;
}): TransitionEventName {
  if (t.reason === 'removed' || t.reason === 'expired') return 'node:removed';
  switch (t.to) {
    case 'unknown':
      return 'node:joined';
    case 'alive':
      if (t.reason === 'restarted') return 'node:restarted';
      return t.from === 'suspect' || t.from === 'dead' ? 'node:recovered' : 'node:alive';
    case 'suspect':
      return 'node:suspect';
    case 'dead':
      return 'node:dead';
    case 'left':
      return 'node:left';
  }
}
