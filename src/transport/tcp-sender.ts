/**
 * Sends binary v1 frames over one long-lived TCP connection, for networks that drop UDP. The
 * frames are self-delimiting (a length in the header), so the stream needs no other framing.
 *
 * When the connection is down the sender reconnects with exponential backoff and jitter, timed
 * by the injected clock; meanwhile it keeps only the newest message, because a heartbeat from
 * thirty seconds ago says nothing the next one will not say better, and a queue of them would
 * grow without bound while the monitor is away. Writes that the kernel does not take at once
 * (a slow monitor) are treated the same way: one in the socket buffer, one newest waiting.
 */
import net from 'node:net';
import type { TimerHandle } from '../core/clock.js';
import type { Rng } from '../core/rng.js';
import type { Message } from '../protocol/message.js';
import { BaseSender } from './base-sender.js';
import { SendError, errorText, mathRandom, type SenderComponents } from './sender.js';
import type { SocketTarget } from './target.js';

export interface TcpSenderOptions {
  /**
   * Delay before the first reconnect attempt; each failed attempt doubles it.
   * @default 100 — a monitor that restarts or resets a connection is back within a heartbeat.
   */
  initialBackoffMs?: number;
  /**
   * Longest delay between reconnect attempts.
   * @default 5000 — a monitor that comes back hears from its agents within seconds, while a
   * fleet of thousands retrying costs it at most a few hundred connection attempts per second.
   */
  maxBackoffMs?: number;
  /**
   * A connection attempt that has not succeeded by then is abandoned (and retried after the
   * backoff). @default 5000 — far above any LAN or WAN handshake, short enough not to stall.
   */
  connectTimeoutMs?: number;
  /**
   * `close()` waits at most this long for the last frames (a `leave`) to be written and the
   * connection to close cleanly. @default 2000 — a stopping process should not hang on a dead
   * monitor.
   */
  closeTimeoutMs?: number;
}

export const DEFAULT_TCP_INITIAL_BACKOFF_MS = 100;
export const DEFAULT_TCP_MAX_BACKOFF_MS = 5000;
export const DEFAULT_TCP_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_TCP_CLOSE_TIMEOUT_MS = 2000;

/**
 * The delay before reconnect attempt `attempt` (0 for the first): `initial · 2^attempt`, capped
 * at `max`, then scaled by a random factor in [0.5, 1) ("equal jitter"), so a fleet of agents
 * that lost the same monitor does not reconnect in lockstep, and no delay is ever zero.
 */
export function reconnectDelayMs(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: number,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 52));
  return base * (0.5 + 0.5 * random);
}

type State = 'idle' | 'connecting' | 'connected' | 'backoff' | 'closed';

export class TcpSender extends BaseSender<SocketTarget> {
  private readonly rng: Rng;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly connectTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private state: State = 'idle';
  private socket: net.Socket | undefined;
  private timer: TimerHandle | undefined;
  /** Failed connection attempts since the last success. */
  private attempt = 0;
  /** The newest message not yet handed to the socket, with its encoding. */
  private pending: { msg: Message; bytes: Buffer } | undefined;
  /** The socket's buffer is full: wait for `drain` before writing again. */
  private blocked = false;
  private finished: (() => void) | undefined;

  constructor(components: SenderComponents, target: SocketTarget, init: TcpSenderOptions = {}) {
    super(components, target);
    this.rng = components.rng ?? mathRandom;
    this.initialBackoffMs = init.initialBackoffMs ?? DEFAULT_TCP_INITIAL_BACKOFF_MS;
    this.maxBackoffMs = init.maxBackoffMs ?? DEFAULT_TCP_MAX_BACKOFF_MS;
    this.connectTimeoutMs = init.connectTimeoutMs ?? DEFAULT_TCP_CONNECT_TIMEOUT_MS;
    this.closeTimeoutMs = init.closeTimeoutMs ?? DEFAULT_TCP_CLOSE_TIMEOUT_MS;
  }

  /** True while a connection is up. */
  get connected(): boolean {
    return this.state === 'connected';
  }

  send(msg: Message): void {
    const bytes = this.admit(msg, this.encodeFrame);
    if (bytes === undefined) return;
    if (this.pending !== undefined) this.replaced();
    this.pending = { msg, bytes };
    if (this.state === 'idle') this.connect();
    else this.flush();
  }

  protected async shutdown(): Promise<void> {
    if (this.state === 'closed') return;
    const deadline = this.clock.setTimeout(() => this.abandon(), this.closeTimeoutMs);
    try {
      if (this.pending !== undefined && (this.state === 'backoff' || this.state === 'idle')) {
        // One last attempt now rather than after the backoff, to deliver a goodbye.
        this.timer?.cancel();
        this.connect();
      }
      if (this.state === 'connecting' || this.state === 'connected') {
        await new Promise<void>((resolve) => {
          this.finished = resolve;
          if (this.state === 'connected') this.endIfIdle();
        });
      }
    } finally {
      deadline.cancel();
      this.terminate();
    }
  }

  /** The close timeout expired: give up on whatever is still pending. */
  private abandon(): void {
    this.socket?.destroy();
    this.terminate();
  }

  /** Final state: no socket, no timer, the pending message counted as failed. */
  private terminate(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.timer?.cancel();
    this.timer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    const waiting = this.pending;
    this.pending = undefined;
    if (waiting !== undefined) {
      this.fail('disconnected', 'closed before the message could be sent', waiting.msg);
    }
    const finished = this.finished;
    this.finished = undefined;
    finished?.();
  }

  private connect(): void {
    this.state = 'connecting';
    this.blocked = false;
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    this.socket = socket;
    socket.setNoDelay(true);
    // The agent's timer keeps the process alive while it runs; the connection alone should not.
    socket.unref();
    let connectError: Error | undefined;
    const timeout = this.clock.setTimeout(() => {
      connectError = new SendError('timeout', this.target.url, 'connect timed out');
      socket.destroy();
    }, this.connectTimeoutMs);
    socket.on('connect', () => {
      timeout.cancel();
      if (this.socket !== socket) return;
      this.state = 'connected';
      this.attempt = 0;
      this.countConnect();
      this.flush();
      if (this.isClosing) this.endIfIdle();
    });
    socket.on('drain', () => {
      this.blocked = false;
      this.flush();
      if (this.isClosing) this.endIfIdle();
    });
    // The monitor does not answer on this stream; read and discard so nothing piles up.
    socket.on('data', () => {});
    socket.on('error', (error) => {
      connectError ??= error;
    });
    socket.on('close', () => {
      timeout.cancel();
      if (this.socket !== socket) return;
      this.socket = undefined;
      const wasConnected = this.state === 'connected';
      if (wasConnected) {
        this.events.emit('disconnect', {
          target: this.target.url,
          ...(connectError !== undefined ? { error: connectError } : {}),
        });
      } else if (this.state === 'connecting') {
        const why = connectError === undefined ? 'connection closed' : errorText(connectError);
        this.events.emit('error', {
          target: this.target.url,
          error: new SendError('connect', this.target.url, why, { cause: connectError }),
        });
      }
      if (this.isClosing) {
        this.terminate();
        return;
      }
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delayMs = reconnectDelayMs(
      this.attempt++,
      this.initialBackoffMs,
      this.maxBackoffMs,
      this.rng.next(),
    );
    this.state = 'backoff';
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.state === 'backoff') this.connect();
    }, delayMs);
  }

  /** Writes the pending message if the connection can take it now. */
  private flush(): void {
    const socket = this.socket;
    const waiting = this.pending;
    if (this.state !== 'connected' || socket === undefined || waiting === undefined) return;
    if (this.blocked) return;
    this.pending = undefined;
    const { msg, bytes } = waiting;
    const accepted = socket.write(bytes, (error) => {
      if (error) {
        this.fail('socket', error.message, msg, error);
      } else {
        this.delivered(msg, bytes.length);
      }
    });
    if (!accepted) this.blocked = true;
  }

  /** While closing: once nothing waits to be written, end the connection cleanly. */
  private endIfIdle(): void {
    if (this.pending === undefined && !this.blocked) this.socket?.end();
  }
}
