/**
 * What the HTTP API needs from a monitor. The Monitor satisfies it; naming the slice keeps the
 * API's dependencies visible and lets a test drive the API with a monitor of its own making.
 */
import type { Monitor } from '../monitor/monitor.js';

export type ApiBackend = Pick<
  Monitor,
  | 'arrivals'
  | 'clock'
  | 'config'
  | 'table'
  | 'history'
  | 'ingest'
  | 'admitsUnauthenticated'
  | 'reject'
  | 'register'
  | 'remove'
  | 'stats'
  | 'kernelStats'
  | 'on'
>;
