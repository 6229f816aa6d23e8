/**
 * Events of a Monitor: every node-table event (transitions, `convictions:deferred`) plus the
 * monitor's own. `monitor.on('node:dead', …)` is the way to act on failures in-process.
 */
import { TRANSITION_EVENT_NAMES, type NodeEvents } from '../membership/types.js';
import type { RejectReason } from '../transport/listener.js';
import type { Transport } from './ingest-stats.js';
import type { StallEvent } from './stall-watchdog.js';

/** The node-lifecycle events an SSE stream carries, each with a transition as data (types.ts). */
export { TRANSITION_EVENT_NAMES };
/** The event a stored transition was announced as (lifecycle.ts). */
export { transitionEventName } from '../membership/lifecycle.js';

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
  ...TRANSITION_EVENT_NAMES,
  'transition',
  'convictions:deferred',
] as const satisfies readonly (keyof NodeEvents)[];

export function isNodeEventName(name: string): name is keyof NodeEvents {
  return (NODE_EVENT_NAMES as readonly string[]).includes(name);
}
