/**
 * The one-line human status of a node ("ALIVE, last heartbeat 1.2 s ago"), as a pure function of
 * a snapshot and the time, so the API and the CLI can re-render a stored snapshot at any time.
 */
import type { NodeSnapshot } from './types.js';

/** The snapshot fields the status line reads. */
export type StatusInput = Pick<NodeSnapshot, 'state' | 'lastArrivalMs' | 'stateSinceMs'> & {
  stateReason?: NodeSnapshot['stateReason'];
};

/**
 * - `unknown`: "no heartbeat received yet"
 * - `alive`: "ALIVE, last heartbeat 1.2 s ago"
 * - `suspect`: "SUSPECT, no heartbeat for 4.0 s"
 * - `dead`: "FAILED, no heartbeat for 6.1 s"; "FAILED, no heartbeat received" when never heard;
 *   "FAILED (reported), last heartbeat 0.4 s ago" after `reportFailure`
 * - `left`: "LEFT 3.2 s ago"
 */
export function describeStatus(node: StatusInput, nowMs: number): string {
  const since = node.lastArrivalMs === null ? null : Math.max(0, nowMs - node.lastArrivalMs);
  switch (node.state) {
    case 'unknown':
      return 'no heartbeat received yet';
    case 'alive':
      return since === null ? 'ALIVE' : `ALIVE, last heartbeat ${formatDuration(since)} ago`;
    case 'suspect':
      return since === null ? 'SUSPECT' : `SUSPECT, no heartbeat for ${formatDuration(since)}`;
    case 'dead':
      if (node.stateReason === 'reported-failure') {
        return since === null
          ? 'FAILED (reported), no heartbeat received'
          : `FAILED (reported), last heartbeat ${formatDuration(since)} ago`;
      }
      return since === null
        ? 'FAILED, no heartbeat received'
        : `FAILED, no heartbeat for ${formatDuration(since)}`;
    case 'left':
      return `LEFT ${formatDuration(Math.max(0, nowMs - node.stateSinceMs))} ago`;
  }
}

/**
 * A duration for people: "1.2 s" below a minute, "4 min 3 s" below an hour, "2 h 5 min" below a
 * day, then "3 d 4 h". Tenths of a second matter at heartbeat scale; beyond a minute they don't.
 */
export function formatDuration(ms: number): string {
  const clamped = Math.max(0, ms);
  // Truncate, never round up: "no heartbeat for 3.0 s" must not be shown at 2.96 s.
  if (clamped < 60_000) return `${(Math.floor(clamped / 100) / 10).toFixed(1)} s`;
  const totalS = Math.floor(clamped / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${totalS % 60} s`;
  const totalMin = Math.floor(totalS / 60);
  if (totalMin < 1440) return `${Math.floor(totalMin / 60)} h ${totalMin % 60} min`;
  const totalH = Math.floor(totalMin / 60);
  return `${Math.floor(totalH / 24)} d ${totalH % 24} h`;
}
