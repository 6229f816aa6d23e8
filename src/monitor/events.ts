/**
 * Events of a Monitor: every node-table event (transitions, `convictions:deferred`) plus the
 * monitor's own. `monitor.on('node:dead', …)` is the way to act on failures in-process.
 */
import type { NodeEvents, NodeState, TransitionReason } from '../membership/types.js';
import type { RejectReason } from '../transport/listener.js';
import type { Transport } from './ingest-stats.js';
import type { StallEvent } from './stall-watchdog.js';

/** Input refused before it reached the node table (decoding, limits, bad HTTP requests). */
export interface RejectEvent {
  transport: Transport;
  reason: RejectReason | string;
  /** The sender's address as the socket saw it. */
  address: string;
}

/** Something failed that the monitor survives (a history write, the recording file, a hook). */
export interface MonitorErrorEvent {
  /** Which part: `store`, `actions`, `recorder`. */
  where: string;
  error: unknown;
}

/**
 * The history store stopped taking writes (at the first failed commit: what waits for a retry),
 * or takes them again (with how many kept entries that commit stored); transition-journal.ts.
 */
export type StoreStateEvent =
  { ok: false; error: unknown; unstored: number } | { ok: true; stored: number };

// A type alias (not an interface) so it satisfies TypedEmitter's Record<string, unknown>.
export type MonitorOwnEvents = {
  /** The history could not be written (kept for a retry), or can be again. */
  'monitor:store': StoreStateEvent;
  /** The pause guard's watchdog saw the monitor process stall; convictions are held. */
  'monitor:stall': StallEvent;
  'monitor:reject': RejectEvent;
  'monitor:error': MonitorErrorEvent;
};

export type MonitorEvents = NodeEvents & MonitorOwnEvents;

/** The node table's event names, forwarded by `Monitor.on` straight to the table. */
export const NODE_EVENT_NAMES = [
  'node:joined',
  'node:alive',
  'node:suspect',
  'node:dead',
  'node:recovered',
  'node:restarted',
  'node:left',
  'node:removed',
  'transition',
  'convictions:deferred',
] as const satisfies readonly (keyof NodeEvents)[];

/** The node-lifecycle events an SSE stream carries, each with a transition as data. */
export const TRANSITION_EVENT_NAMES = [
  'node:joined',
  'node:alive',
  'node:suspect',
  'node:dead',
  'node:recovered',
  'node:restarted',
  'node:left',
  'node:removed',
] as const satisfies readonly (keyof NodeEvents)[];

export function isNodeEventName(name: string): name is keyof NodeEvents {
  return (NODE_EVENT_NAMES as readonly string[]).includes(name);
}

/**
 * The event a transition was announced as, from its states and reason (how the node table
 * emits them); for a stored row, which keeps no event name.
 */
export function transitionEventName(t: {
  from: NodeState;
  to: NodeState;
  reason: TransitionReason | string;
}): (typeof TRANSITION_EVENT_NAMES)[number] {
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
