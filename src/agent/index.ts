/** The agent's public API: the Agent, its process wiring, incarnations and payload providers. */
export {
  Agent,
  DEFAULT_INTERVAL_MS,
  DEFAULT_JITTER_RATIO,
  MAX_JITTER_RATIO,
  type AgentComponents,
  type AgentErrorEvent,
  type AgentEvents,
  type AgentOptions,
  type AgentStats,
} from './agent.js';
export { runAgent } from './run-agent.js';
export { INCARNATION_TICK_MS, incarnationAt, newIncarnation } from './incarnation.js';
export {
  PayloadBuilder,
  fitPayload,
  type BuiltPayload,
  type PayloadProblem,
} from './payload-builder.js';
export * from './providers/index.js';
