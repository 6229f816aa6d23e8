/**
 * The public API of the `heartbeat` package: the clock, detectors, wire codecs, the node table,
 * the agent and the monitor as libraries, the history store, actions, configuration, the
 * simulator and (as `transport`) the transports with the in-memory network. Internals stay
 * reachable by path for tests; this is what users import.
 */
export * from './core/clock.js';
export * from './core/errors.js';
export * from './core/rng.js';
export * as limits from './core/limits.js';
export * from './detectors/index.js';
export * from './protocol/index.js';
export * from './membership/index.js';
export * from './agent/index.js';
export * from './monitor/index.js';
export * from './store/index.js';
export * from './actions/index.js';
export * from './config/index.js';
export * as sim from './sim/index.js';
export * as transport from './transport/index.js';
