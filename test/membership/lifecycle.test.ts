import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_EVENTS,
  nextStep,
  stateDeadline,
  transitionEventName,
  type DeadlineRule,
  type LifecycleEvent,
  type LifecycleFacts,
} from '../../src/membership/lifecycle.js';
import {
  NODE_STATES,
  type NodeState,
  type TransitionEventName,
  type TransitionReason,
} from '../../src/membership/types.js';

/**
 * One row: a state, an event and the facts that decide (a fact left out does not matter to
 * the row: it holds for both values), then the step: the next state, the reason and the event
 * (null: nothing is announced), the deadline, and whether the node first rejoins or leaves the
 * table.
 */
type Row = [
  NodeState,
  LifecycleEvent,
  Partial<LifecycleFacts>,
  NodeState,
  TransitionReason | null,
  TransitionEventName | null,
  DeadlineRule,
  ('rejoins' | 'removes')?,
];

const FORGETS = { forgets: true };
const KEEPS = { forgets: false };

// prettier-ignore
const ROWS: Row[] = [
  // An accepted heartbeat makes the node alive.
  ['unknown', 'heartbeat', {},                        'alive',   'first-heartbeat',    'node:alive',     'suspect-at'],
  ['alive',   'heartbeat', {},                        'alive',   null,                 null,             'suspect-at'],
  ['suspect', 'heartbeat', { firstHeartbeat: false }, 'alive',   'heartbeat',          'node:recovered', 'suspect-at'],
  ['suspect', 'heartbeat', { firstHeartbeat: true },  'alive',   'first-heartbeat',    'node:recovered', 'suspect-at'],
  ['dead',    'heartbeat', { firstHeartbeat: false }, 'alive',   'heartbeat',          'node:recovered', 'suspect-at'],
  ['dead',    'heartbeat', { firstHeartbeat: true },  'alive',   'first-heartbeat',    'node:recovered', 'suspect-at'],
  ['left',    'heartbeat', {},                        'alive',   'first-heartbeat',    'node:alive',     'suspect-at', 'rejoins'],
  // A new incarnation: restarted from any state, except after leaving (a rejoin).
  ['unknown', 'restart',   {},                        'alive',   'restarted',          'node:restarted', 'suspect-at'],
  ['alive',   'restart',   {},                        'alive',   'restarted',          'node:restarted', 'suspect-at'],
  ['suspect', 'restart',   {},                        'alive',   'restarted',          'node:restarted', 'suspect-at'],
  ['dead',    'restart',   {},                        'alive',   'restarted',          'node:restarted', 'suspect-at'],
  ['left',    'restart',   {},                        'alive',   'first-heartbeat',    'node:alive',     'suspect-at', 'rejoins'],
  // A leave: left from any state; a second one changes nothing.
  ['unknown', 'leave',     FORGETS,                   'left',    'leave',              'node:left',      'forget'],
  ['unknown', 'leave',     KEEPS,                     'left',    'leave',              'node:left',      'none'],
  ['alive',   'leave',     FORGETS,                   'left',    'leave',              'node:left',      'forget'],
  ['alive',   'leave',     KEEPS,                     'left',    'leave',              'node:left',      'none'],
  ['suspect', 'leave',     FORGETS,                   'left',    'leave',              'node:left',      'forget'],
  ['suspect', 'leave',     KEEPS,                     'left',    'leave',              'node:left',      'none'],
  ['dead',    'leave',     FORGETS,                   'left',    'leave',              'node:left',      'forget'],
  ['dead',    'leave',     KEEPS,                     'left',    'leave',              'node:left',      'none'],
  ['left',    'leave',     {},                        'left',    null,                 null,             'keep'],
  // A due deadline convicts, re-checks, or expires.
  ['unknown', 'deadline',  FORGETS,                   'dead',    'never-came-up',      'node:dead',      'forget'],
  ['unknown', 'deadline',  KEEPS,                     'dead',    'never-came-up',      'node:dead',      'none'],
  ['alive',   'deadline',  { suspected: true },       'suspect', 'detector',           'node:suspect',   'dead-grace'],
  ['alive',   'deadline',  { suspected: false },      'alive',   null,                 null,             'recheck'],
  ['suspect', 'deadline',  FORGETS,                   'dead',    'dead-grace-expired', 'node:dead',      'forget'],
  ['suspect', 'deadline',  KEEPS,                     'dead',    'dead-grace-expired', 'node:dead',      'none'],
  ['dead',    'deadline',  FORGETS,                   'dead',    'expired',            'node:removed',   'none',       'removes'],
  ['dead',    'deadline',  KEEPS,                     'dead',    null,                 null,             'none'],
  ['left',    'deadline',  FORGETS,                   'left',    'expired',            'node:removed',   'none',       'removes'],
  ['left',    'deadline',  KEEPS,                     'left',    null,                 null,             'none'],
  // A reported failure: dead at once, from any state but dead.
  ['unknown', 'report',    FORGETS,                   'dead',    'reported-failure',   'node:dead',      'forget'],
  ['unknown', 'report',    KEEPS,                     'dead',    'reported-failure',   'node:dead',      'none'],
  ['alive',   'report',    FORGETS,                   'dead',    'reported-failure',   'node:dead',      'forget'],
  ['alive',   'report',    KEEPS,                     'dead',    'reported-failure',   'node:dead',      'none'],
  ['suspect', 'report',    FORGETS,                   'dead',    'reported-failure',   'node:dead',      'forget'],
  ['suspect', 'report',    KEEPS,                     'dead',    'reported-failure',   'node:dead',      'none'],
  ['dead',    'report',    {},                        'dead',    null,                 null,             'keep'],
  ['left',    'report',    FORGETS,                   'dead',    'reported-failure',   'node:dead',      'forget'],
  ['left',    'report',    KEEPS,                     'dead',    'reported-failure',   'node:dead',      'none'],
  // A removal, in whatever state.
  ['unknown', 'remove',    {},                        'unknown', 'removed',            'node:removed',   'none',       'removes'],
  ['alive',   'remove',    {},                        'alive',   'removed',            'node:removed',   'none',       'removes'],
  ['suspect', 'remove',    {},                        'suspect', 'removed',            'node:removed',   'none',       'removes'],
  ['dead',    'remove',    {},                        'dead',    'removed',            'node:removed',   'none',       'removes'],
  ['left',    'remove',    {},                        'left',    'removed',            'node:removed',   'none',       'removes'],
];

/** Every combination of the facts. */
const ALL_FACTS: LifecycleFacts[] = [false, true].flatMap((suspected) =>
  [false, true].flatMap((firstHeartbeat) =>
    [false, true].map((forgets) => ({ suspected, firstHeartbeat, forgets })),
  ),
);

const matches = (facts: LifecycleFacts, wanted: Partial<LifecycleFacts>): boolean =>
  Object.entries(wanted).every(([k, v]) => facts[k as keyof LifecycleFacts] === v);

describe('nextStep', () => {
  it.each(ROWS)(
    '%s on %s with %o → %s (%s, %s), deadline %s',
    (state, event, wanted, to, reason, name, deadline, flag) => {
      for (const facts of ALL_FACTS.filter((f) => matches(f, wanted))) {
        expect(nextStep(state, event, facts)).toEqual({
          to,
          reason,
          event: name,
          deadline,
          rejoins: flag === 'rejoins',
          removes: flag === 'removes',
        });
      }
    },
  );

  it('the table has exactly one row for every state, event and facts', () => {
    for (const state of NODE_STATES) {
      for (const event of LIFECYCLE_EVENTS) {
        for (const facts of ALL_FACTS) {
          const rows = ROWS.filter((r) => r[0] === state && r[1] === event && matches(facts, r[2]));
          expect(rows, `${state} ${event} ${JSON.stringify(facts)}`).toHaveLength(1);
        }
      }
    }
  });

  it('answers with the same frozen object each time (a heartbeat allocates nothing)', () => {
    const facts = { suspected: false, firstHeartbeat: false, forgets: false };
    const step = nextStep('alive', 'heartbeat', facts);
    expect(nextStep('alive', 'heartbeat', facts)).toBe(step);
    expect(Object.isFrozen(step)).toBe(true);
  });

  it('announces each transition as transitionEventName reads it back from a stored row', () => {
    for (const [state, , , to, reason, name, , flag] of ROWS) {
      if (reason === null) continue;
      // A rejoin is stored as two rows: left → unknown (node:joined), then this step's own.
      const from = flag === 'rejoins' ? 'unknown' : state;
      expect(transitionEventName({ from, to, reason }), `${state} → ${to} ${reason}`).toBe(name);
    }
    expect(transitionEventName({ from: 'left', to: 'unknown', reason: 'heartbeat' })).toBe(
      'node:joined',
    );
  });

  it('after a conviction, a leave or a report, the deadline is the new state’s own', () => {
    for (const [, event, wanted, to, reason, , deadline, flag] of ROWS) {
      if (reason === null || flag === 'removes' || event === 'heartbeat' || event === 'restart') {
        continue;
      }
      expect(deadline, `${event} → ${to}`).toBe(stateDeadline(to, wanted.forgets ?? false));
    }
  });
});

describe('stateDeadline', () => {
  it.each([
    ['unknown', false, 'startup-grace'],
    ['unknown', true, 'startup-grace'],
    ['alive', false, 'recheck'],
    ['alive', true, 'recheck'],
    ['suspect', false, 'dead-grace'],
    ['suspect', true, 'dead-grace'],
    ['dead', false, 'none'],
    ['dead', true, 'forget'],
    ['left', false, 'none'],
    ['left', true, 'forget'],
  ] as [NodeState, boolean, DeadlineRule][])('%s, forgets %s → %s', (state, forgets, rule) => {
    expect(stateDeadline(state, forgets)).toBe(rule);
  });
});
