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
  randomCrashTimes,
  type QosDetectorFactory,
  type QosOptions,
  type QosResult,
} from './qos.js';
export { prepareTrace, type PreparedTrace } from './prepared-trace.js';
export {
  parseScenario,
  type CrashSpec,
  type MonitorSpec,
  type ParseScenarioOptions,
  type PartitionSpec,
  type PauseSpec,
  type Scenario,
} from './scenario.js';
export { loadScenario } from './load-scenario.js';
export { DISTRIBUTION_KINDS, createSampler, type DistributionSpec } from './distribution.js';
export { createLossProcess, meanLossRate, type LossSpec } from './loss-model.js';
export {
  runScenario,
  simNodeId,
  type CrashDetection,
  type RunOptions,
  type SimulationResult,
} from './simulator.js';
export { scenarioToTrace } from './scenario-trace.js';
export { assertRun, checkRun, type RunExpectations } from './checks.js';
export {
  STANDARD_SCENARIO_DATA,
  STANDARD_SCENARIO_NAMES,
  standardScenario,
  standardScenarios,
  type StandardScenarioName,
} from './scenarios/index.js';
