/**
 * The monitor's TCP heartbeat listener: long-lived connections carrying binary frames (v1, or v2
 * checked against the monitor's keys) and plain text lines, framed by one protocol
 * `StreamDecoder` per connection.
 *
 * Bounded on every side: at most `maxConnections` at once and `maxConnectionsPerSource` from one
 * address (extra ones are refused and counted), a connection that delivers no message for
 * `idleTimeoutMs` is closed (checked by one clock interval for all
 * connections, not a timer per connection), and a connection that sends more than
 * MAX_TCP_DECODE_ERRORS undecodable messages, or MAX_TCP_GARBAGE_BYTES without one decodable
 * message, is closed — it speaks another protocol, and reading on costs more than it can give.
 * When the peer ends the stream, a last text line without `\n` still counts (`printf id | nc`).
 */
import net from 'node:net';
import type { Clock, TimerHandle } from '../core/clock.js';
import { DecodeError, StateError } from '../core/errors.js';
import {
  MAX_CONNECTIONS_PER_SOURCE,
  MAX_TCP_CONNECTIONS,
  MAX_TCP_DECODE_ERRORS,
  MAX_TCP_GARBAGE_BYTES,
} from '../core/limits.js';
import type { KeyLookup } from '../protocol/keyring.js';
import type { Message } from '../protocol/message.js';
import { StreamDecoder } from '../protocol/index.js';
import { bindOrFail } from './bind.js';
import { SourceLimit } from '../core/source-limit.js';
import type {
  HeartbeatListener,
  ListenerComponents,
  ListenerFactory,
  ListenerSink,
  Peer,
} from './listener.js';

export interface TcpListenerOptions {
  /** Address to bind. @default '127.0.0.1' — listening on every interface is an explicit choice. */
  host?: string;
  /** Port to bind; 0 picks a free one (read it from `start()`). @default 0 */
  port?: number;
  /** Connections open at once. @default MAX_TCP_CONNECTIONS */
  maxConnections?: number;
  /** Connections open at once from one address. @default MAX_CONNECTIONS_PER_SOURCE */
  maxConnectionsPerSource?: number;
  /**
   * A connection that sends nothing for this long is closed.
   * @default 120_000 — longer than any sensible heartbeat interval, short enough that half-open
   * connections from crashed agents do not pile up.
   */
  idleTimeoutMs?: number;
}

interface Connection {
  socket: net.Socket;
  decoder: StreamDecoder;
  from: Peer;
  lastActiveMs: number;
  errors: number;
  /** Bytes received since the last decoded message. */
  bytesSinceMessage: number;
}

/** A factory of TCP listeners with these settings, for the monitor. */
export function tcpListener(init: TcpListenerOptions = {}): ListenerFactory {
  return (components) => new TcpListener(components, init);
}

export class TcpListener implements HeartbeatListener {
  readonly transport = 'tcp' as const;
  private readonly clock: Clock;
  private readonly sink: ListenerSink;
  private readonly keys: KeyLookup | undefined;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly maxConnections: number;
  private readonly perSource: SourceLimit;
  readonly idleTimeoutMs: number;
  private server: net.Server | null = null;
  private sweeper: TimerHandle | null = null;
  private readonly connections = new Set<Connection>();
  private boundPort: number | null = null;

  constructor(components: ListenerComponents, init: TcpListenerOptions = {}) {
    this.clock = components.clock;
    this.sink = components.sink;
    this.keys = components.keys;
    this.host = init.host ?? '127.0.0.1';
    this.requestedPort = init.port ?? 0;
    this.maxConnections = init.maxConnections ?? MAX_TCP_CONNECTIONS;
    this.perSource = new SourceLimit(init.maxConnectionsPerSource ?? MAX_CONNECTIONS_PER_SOURCE);
    this.idleTimeoutMs = init.idleTimeoutMs ?? 120_000;
  }

  /** The bound port, or null before `start()` and after `stop()`. */
  get port(): number | null {
    return this.boundPort;
  }

  /** Connections open right now. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Binds the server; rejects with AddressInUseError `port N/tcp is in use` when it is taken. */
  async start(): Promise<number> {
    if (this.server !== null) throw new StateError('TCP listener', 'running', 'start');
    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    server.maxConnections = this.maxConnections;
    server.on('drop', (data?: net.DropArgument) => {
      this.sink.onReject('connection-limit', {
        transport: 'tcp',
        address: data?.remoteAddress ?? '',
        port: data?.remotePort ?? 0,
      });
    });
    const where = { host: this.host, port: this.requestedPort, what: 'tcp' };
    await bindOrFail(server, (done) => server.listen(where.port, where.host, done), where);
    server.on('error', () => {});
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
    const sweepMs = Math.max(10, Math.min(1000, this.idleTimeoutMs / 4));
    this.sweeper = this.clock.setInterval(() => this.closeIdle(), sweepMs);
    return this.boundPort;
  }

  /** Stops accepting, closes every connection and cancels the idle sweep. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    this.boundPort = null;
    this.sweeper?.cancel();
    this.sweeper = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of this.connections) c.socket.destroy();
    this.connections.clear();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const from: Peer = {
      transport: 'tcp',
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
    };
    if (!this.perSource.take(from.address)) {
      this.sink.onReject('source-connection-limit', from);
      socket.destroy();
      return;
    }
    const conn: Connection = {
      socket,
      decoder: new StreamDecoder(this.keys),
      from,
      lastActiveMs: this.clock.monotonicMs(),
      errors: 0,
      bytesSinceMessage: 0,
    };
    this.connections.add(conn);
    socket.once('close', () => this.perSource.release(from.address));
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('end', () => {
      if (this.connections.has(conn)) this.deliver(conn, conn.decoder.end());
      socket.end();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.connections.delete(conn));
  }

  private onData(conn: Connection, chunk: Buffer): void {
    conn.bytesSinceMessage += chunk.length;
    let items: (Message | DecodeError)[];
    try {
      items = conn.decoder.push(chunk);
    } catch (error) {
      // The decoder promises not to throw; if it does, the stream's framing cannot be trusted.
      this.sink.onReject(error instanceof DecodeError ? error.reason : 'internal', conn.from);
      this.closeForGarbage(conn);
      return;
    }
    if (!this.deliver(conn, items)) return;
    if (conn.bytesSinceMessage > MAX_TCP_GARBAGE_BYTES) this.closeForGarbage(conn);
  }

  /** Hands decoded items to the sink; false when the connection was closed for garbage. */
  private deliver(conn: Connection, items: (Message | DecodeError)[]): boolean {
    for (const item of items) {
      if (item instanceof DecodeError) {
        this.sink.onReject(item.reason, conn.from);
        if (++conn.errors > MAX_TCP_DECODE_ERRORS) {
          this.closeForGarbage(conn);
          return false;
        }
      } else {
        // Only a message counts as activity: bytes that never make one (a lone `\n` a minute)
        // do not keep a slot.
        conn.lastActiveMs = this.clock.monotonicMs();
        conn.bytesSinceMessage = 0;
        this.sink.onMessage(item, conn.from);
      }
    }
    return true;
  }

  private closeForGarbage(conn: Connection): void {
    this.sink.onReject('connection-garbage', conn.from);
    this.connections.delete(conn);
    conn.socket.destroy();
  }

  private closeIdle(): void {
    const cutoff = this.clock.monotonicMs() - this.idleTimeoutMs;
    for (const c of this.connections) {
      if (c.lastActiveMs <= cutoff) {
        this.connections.delete(c);
        c.socket.destroy();
      }
    }
  }
}
