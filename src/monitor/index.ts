/** The monitor's public API: the daemon as a library, its events, the pause guard's watchdog. */
export {
  Monitor,
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
export { StallWatchdog, type StallEvent, type StallWatchdogOptions } from './stall-watchdog.js';
export { ArrivalRecorder, type ArrivalRecorderOptions } from './arrival-recorder.js';
export { IngestStats, TRANSPORTS, type IngestSnapshot, type Transport } from './ingest-stats.js';
export { detectorForGroups, matchesGroup } from './detector-groups.js';
