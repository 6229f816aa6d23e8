/**
 * The package root, `heartbeat`: what a service embeds to watch its peers and to be watched —
 * the node table, the detectors' specs, the agent, the clocks, the errors and the limits. It
 * loads no native module and none of the SQLite, HTTP-server, metrics or YAML code (a test
 * proves it: test/integration/light-root.test.ts). Each area has its own entry with all of its
 * API: heartbeat/detectors, /membership, /protocol, /transport, /agent, /monitor, /store,
 * /daemon (createMonitor and the configuration) and /sim (docs/ARCHITECTURE.md, "Public API").
 * Internals stay reachable by path for tests, never from here.
 */
export {
  ManualClock,
  SystemClock,
  type Clock,
  type SystemClockOptions,
  type TimerHandle,
} from './core/clock.js';
export * from './core/errors.js';
export { SeededRng, type Rng } from './core/rng.js';
export * as limits from './core/limits.js';
export {
  NodeTable,
  type NodeTableComponents,
  type NodeTableCounters,
  type NodeTableOptions,
  type ReceiveOutcome,
} from './membership/node-table.js';
export { NODE_STATES } from './membership/types.js';
export type * from './membership/types.js';
export type { DetectorExplanation, DetectorKind, FailureDetector } from './detectors/detector.js';
export type { DetectorSpec } from './detectors/spec.js';
export { DETECTOR_KINDS, createDetector, parseDetectorSpec } from './detectors/registry.js';
export type { Message, MessageType, Payload, PayloadValue } from './protocol/message.js';
export {
  Agent,
  type AgentComponents,
  type AgentErrorEvent,
  type AgentEvents,
  type AgentOptions,
  type AgentStats,
} from './agent/agent.js';
