/**
 * The simulator's public API: trace readers, QoS metrics (docs/QOS.md), and the scenario
 * simulator (docs/SIMULATOR.md).
 */
export {
  concatTraces,
  lostCount,
  type Arrival,
  type ArrivalTrace,
} from './traces/arrival-trace.js';
export {
  detectTraceFormat,
  readCellularRuns,
  readTrace,
  TRACE_FORMATS,
  type ReadTraceOptions,
  type TraceFormat,
} from './traces/read-trace.js';
export { RECORDING_HEADER } from './traces/recording.js';
export {
  evaluateDetector,
  evaluateMany,
  evaluatePrepared,
  type QosDetectorFactory,
  type QosOptions,
  type QosResult,
} from './qos.js';
export { prepareTrace, type PreparedTrace } from './prepared-trace.js';
