/**
 * The monitor's HTTP server (node:http): the JSON API under /v1, push pings under /ping, the
 * event stream, /healthz and /metrics, and the dashboard's files at / and /dashboard/. Every
 * request first passes the gate (api-gate.ts: its Host, its origin, its token and scope). Every
 * bad request gets a 4xx with `{"error": "<reason>"}` and is counted as rejected input by
 * reason; no request can throw out of the server.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { bindError } from '../core/bind-error.js';
import { MAX_CONNECTIONS_PER_SOURCE, MAX_TCP_CONNECTIONS } from '../core/limits.js';
import { SourceLimit } from '../core/source-limit.js';
import { ApiGate } from './api-gate.js';
import { ApiTokens } from './api-tokens.js';
import type { ApiBackend } from './backend.js';
import { problemOf, sendProblem, type ApiProblem } from './http-json.js';
import { ApiMetrics } from './metrics.js';
import { Router } from './router.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { nodeRoutes } from './routes/nodes.js';
import { SseHub, type SseHubOptions } from './sse.js';

export interface ApiServerOptions {
  /** Event stream options (keep-alive period, subscriber limit). */
  sse?: SseHubOptions;
  /** Export process metrics (CPU, memory, event-loop lag) on /metrics. @default true */
  processMetrics?: boolean;
  /** HTTP connections open at once. @default MAX_TCP_CONNECTIONS — the same bound as heartbeat TCP. */
  maxConnections?: number;
  /**
   * Where the dashboard's built files are (served at / and /dashboard/), or null for no
   * dashboard. @default DEFAULT_DASHBOARD_DIR — the package's dist/dashboard/
   */
  dashboardDir?: string | null;
  /** HTTP connections open at once from one address. @default MAX_CONNECTIONS_PER_SOURCE */
  maxConnectionsPerSource?: number;
  /**
   * A request whose headers have not all arrived this long after it began is answered 408 and
   * closed (slow clients holding slots). @default 10_000
   */
  headersTimeoutMs?: number;
  /** A request not wholly received (headers and body) within this long is closed. @default 30_000 */
  requestTimeoutMs?: number;
  /**
   * The tokens a request must present (the token file; `replace` puts new ones in force).
   * @default none: the API is open
   */
  tokens?: ApiTokens;
}

const SOURCE_LIMIT_BODY = JSON.stringify({
  error: 'source-connection-limit',
  message: 'too many connections from this address (MAX_CONNECTIONS_PER_SOURCE)',
});
const SOURCE_LIMIT_ANSWER =
  'HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-type: application/json\r\n' +
  `content-length: ${Buffer.byteLength(SOURCE_LIMIT_BODY)}\r\n\r\n${SOURCE_LIMIT_BODY}`;

export class ApiServer {
  private readonly monitor: ApiBackend;
  readonly router = new Router();
  readonly sse: SseHub;
  readonly metrics: ApiMetrics;
  private readonly maxConnections: number;
  private readonly perSource: SourceLimit;
  private readonly headersTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  readonly tokens: ApiTokens;
  private gate: ApiGate | null = null;
  private server: http.Server | null = null;

  constructor(components: { monitor: ApiBackend }, init: ApiServerOptions = {}) {
    this.monitor = components.monitor;
    this.maxConnections = init.maxConnections ?? MAX_TCP_CONNECTIONS;
    this.perSource = new SourceLimit(init.maxConnectionsPerSource ?? MAX_CONNECTIONS_PER_SOURCE);
    this.headersTimeoutMs = init.headersTimeoutMs ?? 10_000;
    this.requestTimeoutMs = Math.max(this.headersTimeoutMs, init.requestTimeoutMs ?? 30_000);
    this.tokens = init.tokens ?? new ApiTokens();
    this.sse = new SseHub({ clock: this.monitor.clock, monitor: this.monitor }, init.sse);
    this.metrics = new ApiMetrics(
      { monitor: this.monitor },
      { processMetrics: init.processMetrics, sseClients: () => this.sse.clientCount },
    );
    nodeRoutes(this.router, this.monitor);
    eventRoutes(this.router, this.monitor, this.sse);
    ingestRoutes(this.router, this.monitor);
    healthRoutes(this.router, this.monitor, this.metrics, this.sse);
    if (init.dashboardDir !== null) dashboardRoutes(this.router, init.dashboardDir ?? undefined);
  }

  /** Binds the server; rejects with AddressInUseError `port N/tcp (http) is in use` when it is taken. */
  async start(host: string, port: number): Promise<number> {
    if (this.server !== null) throw new Error('HTTP server already started');
    // The settings are read per request: a reload's allowedHosts and corsOrigins apply at once.
    this.gate = new ApiGate(this.tokens, host, () => this.monitor.config);
    const server = http.createServer(
      {
        headersTimeout: this.headersTimeoutMs,
        requestTimeout: this.requestTimeoutMs,
        // How often Node looks for requests past those timeouts.
        connectionsCheckingInterval: Math.min(1000, this.headersTimeoutMs / 2),
      },
      (req, res) => {
        void this.handle(req, res);
      },
    );
    server.maxConnections = this.maxConnections;
    server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? '';
      if (!this.perSource.take(address)) {
        // Said, not just cut: a client told 503 stops; one whose socket vanishes may wait.
        this.monitor.reject('http', 'source-connection-limit', address);
        socket.end(SOURCE_LIMIT_ANSWER);
        return;
      }
      socket.once('close', () => this.perSource.release(address));
    });
    server.on('drop', (data?: { remoteAddress?: string }) => {
      this.monitor.reject('http', 'connection-limit', data?.remoteAddress ?? '');
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        server.close();
        reject(bindError(error, host, port, 'tcp (http)'));
      };
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', () => {});
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      // A peer that hung up is not bad input; a request Node could not parse is.
      if (error.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        // Headers or body too slow (headersTimeoutMs, requestTimeoutMs): the slot goes back.
        this.monitor.reject('http', 'request-timeout', (socket as Socket).remoteAddress ?? '');
        socket.end('HTTP/1.1 408 Request Timeout\r\nconnection: close\r\n\r\n');
        return;
      }
      this.monitor.reject('http', 'bad-http', (socket as Socket).remoteAddress ?? '');
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Ends event streams, closes every connection and stops listening. */
  async stop(): Promise<void> {
    this.sse.close();
    this.metrics.close();
    const server = this.server;
    if (server === null) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        this.fail(req, res, { status: 400, reason: 'bad-url', message: 'malformed request URL' });
        return;
      }
      const verdict = (this.gate as ApiGate).check(req, url);
      for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
      if (verdict.kind === 'refuse') {
        this.fail(req, res, verdict.problem);
        return;
      }
      if (verdict.kind === 'preflight') {
        res.writeHead(204);
        res.end();
        return;
      }
      const match = this.router.match(req.method ?? 'GET', url.pathname);
      if (match.kind === 'not-found') {
        this.fail(req, res, {
          status: 404,
          reason: 'not-found',
          message: `no route ${url.pathname}`,
        });
        return;
      }
      if (match.kind === 'bad-path') {
        this.fail(req, res, {
          status: 400,
          reason: 'bad-url',
          message: 'malformed percent-encoding',
        });
        return;
      }
      if (match.kind === 'method-not-allowed') {
        res.setHeader('allow', match.allow.join(', '));
        this.fail(req, res, {
          status: 405,
          reason: 'method-not-allowed',
          message: `${req.method} is not allowed here; use ${match.allow.join(' or ')}`,
        });
        return;
      }
      await match.handler({ req, res, params: match.params, query: url.searchParams });
    } catch (error) {
      this.fail(req, res, problemOf(error));
    }
  }

  /** Sends an error response (if nothing was sent yet) and counts a client error by reason. */
  private fail(req: http.IncomingMessage, res: http.ServerResponse, problem: ApiProblem): void {
    if (problem.status < 500 || problem.status === 503) {
      this.monitor.reject('http', problem.reason, req.socket.remoteAddress ?? '');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, problem);
  }
}
