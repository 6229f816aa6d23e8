/**
 * POSTs each message as JSON to `{base}/v1/heartbeat` with the global `fetch`, for monitors
 * behind proxies and load balancers. One request at a time: a message that arrives while one is
 * in flight waits in a single slot, and a newer one replaces it. A failed request is never
 * retried: by the time a retry could go out, the next heartbeat is due and says more.
 */
import type { Clock } from '../core/clock.js';
import { TypedEmitter } from '../core/emitter.js';
import { encodeJson } from '../protocol/index.js';
import type { Message } from '../protocol/message.js';
import {
  SendError,
  emptyStats,
  errorText,
  type HeartbeatSender,
  type SenderEvents,
  type SenderStats,
} from './sender.js';
import type { HttpTarget } from './target.js';

export interface HttpSenderOptions {
  /**
   * A request that has not been answered by then is aborted and counted as failed.
   * @default 3000 — well above a healthy round trip, and short enough that a hung monitor
   * delays at most a few heartbeats (the newest one waits, older ones are dropped).
   */
  timeoutMs?: number;
  /**
   * Extra request headers, e.g. `authorization` for a monitor behind an authenticating proxy.
   * @default {} — the monitor itself needs none.
   */
  headers?: Record<string, string>;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 3000;

export class HttpSender implements HeartbeatSender {
  readonly events = new TypedEmitter<SenderEvents>();
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly counters: SenderStats = emptyStats();
  private pending: { msg: Message; body: string } | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    components: { clock: Clock },
    readonly target: HttpTarget,
    init: HttpSenderOptions = {},
  ) {
    this.clock = components.clock;
    this.timeoutMs = init.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.headers = {
      'content-type': 'application/json',
      'user-agent': 'heartbeat-agent',
      ...init.headers,
    };
  }

  send(msg: Message): void {
    if (this.closed) {
      this.fail(new SendError('closed', this.target.url, 'sender is closed'), msg);
      return;
    }
    let body: string;
    try {
      body = encodeJson(msg);
    } catch (error) {
      this.fail(new SendError('encode', this.target.url, errorText(error), { cause: error }), msg);
      return;
    }
    if (this.pending !== undefined) this.counters.replaced++;
    this.pending = { msg, body };
    if (this.inFlight === undefined) this.next();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      // The request in flight, then the one waiting (a leave, typically), each bounded by the
      // timeout.
      while (this.inFlight !== undefined) await this.inFlight;
    })();
    return this.closing;
  }

  stats(): SenderStats {
    return { ...this.counters };
  }

  /** Starts the request for the pending message, and the next one when it finishes. */
  private next(): void {
    const waiting = this.pending;
    this.pending = undefined;
    if (waiting === undefined) {
      this.inFlight = undefined;
      return;
    }
    this.inFlight = this.post(waiting.msg, waiting.body).then(() => this.next());
  }

  private async post(msg: Message, body: string): Promise<void> {
    const controller = new AbortController();
    const timer = this.clock.setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await fetch(this.target.heartbeatUrl, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: controller.signal,
      });
      // Read the (small) answer so the connection can be reused.
      const text = await response.text();
      if (response.ok) {
        const bytes = Buffer.byteLength(body);
        this.counters.sent++;
        this.counters.bytes += bytes;
        this.events.emit('sent', { target: this.target.url, message: msg, bytes });
      } else {
        const detail = text.length > 200 ? `${text.slice(0, 200)}…` : text;
        this.fail(
          new SendError('http-status', this.target.url, `HTTP ${response.status} ${detail}`.trim()),
          msg,
        );
      }
    } catch (error) {
      const error_ = controller.signal.aborted
        ? new SendError('timeout', this.target.url, `no answer within ${this.timeoutMs} ms`)
        : new SendError('socket', this.target.url, fetchErrorText(error), { cause: error });
      this.fail(error_, msg);
    } finally {
      timer.cancel();
    }
  }

  private fail(error: SendError, message?: Message): void {
    this.counters.failed++;
    this.events.emit('error', {
      target: this.target.url,
      error,
      ...(message !== undefined ? { message } : {}),
    });
  }
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED, …) in `cause`. */
function fetchErrorText(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? errorText(error) : `${errorText(error)}: ${errorText(cause)}`;
}
