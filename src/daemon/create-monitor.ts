/**
 * The monitor as the `heartbeat monitor` command runs it: a Monitor assembled from the default
 * parts its configuration asks for — UDP and TCP listeners, the HTTP API, the SQLite history
 * store, exec hooks and webhooks, the key file reader and the API's tokens from its token file.
 * An embedder who wants other parts builds `new Monitor(…)`
 * with its own (src/monitor/parts.ts).
 */
import { ActionRunner } from '../actions/action-runner.js';
import { ApiServer, type ApiServerOptions } from '../api/api-server.js';
import { readKeyFile } from '../config/key-file.js';
import { ApiTokens } from '../api/api-tokens.js';
import { readTokenFile, type TokenSpec } from '../config/token-file.js';
import type { MonitorConfig } from '../config/types.js';
import type { Clock } from '../core/clock.js';
import { Monitor, type MonitorOptions } from '../monitor/monitor.js';
import type { ListenerFactory } from '../transport/listener.js';
import { SqliteHistoryStore, type SqliteStoreOptions } from '../store/sqlite-store.js';
import { tcpListener } from '../transport/tcp-listener.js';
import { udpListener } from '../transport/udp-listener.js';

export interface CreateMonitorOptions extends MonitorOptions {
  /** TCP connections silent this long are closed. @default 120_000 (see TcpListener) */
  tcpIdleTimeoutMs?: number;
  /**
   * Options of the HTTP API (SSE keep-alive period, …). Without `api.tokens`, the tokens are
   * read from `config.tokenFile` (a ConfigError when it cannot be read).
   */
  api?: ApiServerOptions;
  /** Options of the SQLite history store. */
  store?: SqliteStoreOptions;
}

/** A monitor with the default parts for `config`; start it with `start()`. */
export function createMonitor(
  components: { clock: Clock },
  config: MonitorConfig,
  init: CreateMonitorOptions = {},
): Monitor {
  const { host } = config;
  const { tcpIdleTimeoutMs, api: apiInit, store: storeInit, ...monitorInit } = init;
  const listeners: ListenerFactory[] = [];
  const udpPort = config.udpPort;
  if (udpPort !== null) {
    listeners.push(udpListener({ host, port: udpPort }));
  }
  const tcpPort = config.tcpPort;
  if (tcpPort !== null) {
    listeners.push(tcpListener({ host, port: tcpPort, idleTimeoutMs: tcpIdleTimeoutMs }));
  }
  const httpPort = config.httpPort;
  const api = { ...apiInit, tokens: apiInit?.tokens ?? new ApiTokens(readTokens(config)) };
  return new Monitor(
    {
      clock: components.clock,
      store: () => SqliteHistoryStore.open(config.dataPath, storeInit),
      listeners,
      http:
        httpPort === null
          ? undefined
          : ({ monitor }) => {
              const server = new ApiServer({ monitor }, api);
              return { start: () => server.start(host, httpPort), stop: () => server.stop() };
            },
      actions: ({ clock, config: current }) => new ActionRunner({ clock }, current.actions),
      readKeys: readKeyFile,
    },
    config,
    monitorInit,
  );
}

/** The tokens of `config.tokenFile`, none without one; throws ConfigError naming the file. */
export function readTokens(config: MonitorConfig): TokenSpec[] {
  return config.tokenFile === null ? [] : readTokenFile(config.tokenFile);
}
