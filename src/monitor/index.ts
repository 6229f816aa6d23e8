/**
 * The monitor (`heartbeat/monitor`): the Monitor assembled from parts, the parts' contracts, its
 * events and the pause guard's watchdog. `createMonitor` (heartbeat/daemon) wires the default parts.
 */
export {
  Monitor,
  type MonitorComponents,
  type MonitorOptions,
  type MonitorPorts,
  type MonitorStats,
  type NodeRegistration,
} from './monitor.js';
export {
  NODE_EVENT_NAMES,
  TRANSITION_EVENT_NAMES,
  type MonitorErrorEvent,
  type MonitorEvents,
  type MonitorOwnEvents,
  type RejectEvent,
} from './events.js';
export type {
  ActionSink,
  HeartbeatListener,
  HttpPart,
  HttpPartFactory,
  ListenerFactory,
  StoreFactory,
} from './parts.js';
export { StallWatchdog, type StallEvent, type StallWatchdogOptions } from './stall-watchdog.js';
export { ArrivalRecorder, type ArrivalRecorderOptions } from './arrival-recorder.js';
export { IngestStats, TRANSPORTS, type IngestSnapshot, type Transport } from './ingest-stats.js';
export { detectorForGroups, matchesGroup } from './detector-groups.js';
