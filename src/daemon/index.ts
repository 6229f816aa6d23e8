/**
 * The monitor as the daemon runs it (`heartbeat/daemon`): `createMonitor` with its default parts,
 * the configuration it takes (loaded from a file, the environment and flags, or written out),
 * and those default parts for an embedder who assembles a Monitor of their own: the HTTP API and
 * the action runner (the SQLite store is in heartbeat/store, the listeners in heartbeat/transport).
 */
export { createMonitor, type CreateMonitorOptions } from './create-monitor.js';
export * from '../config/index.js';
export * from '../actions/index.js';
export { ApiServer, type ApiServerOptions } from '../api/api-server.js';
