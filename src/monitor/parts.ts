/**
 * The parts a Monitor is assembled from, as interfaces: where heartbeats come from (listeners,
 * the HTTP ingest), where transitions are kept (the history store) and what acts on them (the
 * action runner). The monitor builds none of them; `createMonitor` (src/daemon/) wires the
 * defaults — UDP, TCP, the HTTP API, SQLite, exec hooks and webhooks — and a test, the simulator
 * or a cluster member passes its own.
 */
import type { ActionStats } from '../actions/action-runner.js';
import type { NodeTransition } from '../membership/types.js';
import type { Awaitable, HistoryStore } from '../store/history-store.js';
export type { HeartbeatListener, ListenerFactory } from '../transport/listener.js';

/** The HTTP side (API, push pings, event stream), given the monitor it serves. */
export interface HttpPart {
  /** Binds; resolves with the bound port. */
  start(): Promise<number>;
  stop(): Promise<void>;
}

/** Makes the HTTP part for `monitor` (typed loosely here: the HTTP layer names what it uses). */
export type HttpPartFactory<M> = (components: { monitor: M }) => HttpPart;

/** Acts on each announced transition (exec hooks, webhooks); never throws into the monitor. */
export interface ActionSink {
  handle(transition: NodeTransition): void;
  stats(): ActionStats;
  /** Waits for running actions, then stops. */
  stop(): Promise<void>;
}

/** Opens the history store when the monitor starts. */
export type StoreFactory = () => Awaitable<HistoryStore>;
