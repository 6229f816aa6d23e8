/**
 * POSTs each message as JSON to `{base}/v1/heartbeat` with the global `fetch`, for monitors
 * behind proxies and load balancers. One request at a time: a message that arrives while one is
 * in flight waits in a single slot, and a newer one replaces it. A failed request is never
 * retried: by the time a retry could go out, the next heartbeat is due and says more.
 */
import { encodeJson } from '../protocol/index.js';
import type { Message } from '../protocol/message.js';
import { BaseSender } from './base-sender.js';
import { errorText, type SenderComponents } from './sender.js';
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

export class HttpSender extends BaseSender<HttpTarget> {
  private readonly timeoutMs: number;
  /**
   * Built once, as a Headers object: building it loads fetch's implementation (undici, 20–30 ms
   * of synchronous loading the first time), so that happens here, while the agent starts, and
   * not inside its first heartbeat, where it would stall every other sender's first turn.
   */
  private readonly headers: Headers;
  private pending: { msg: Message; body: string } | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(components: SenderComponents, target: HttpTarget, init: HttpSenderOptions = {}) {
    super(components, target);
    this.timeoutMs = init.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.headers = new Headers({
      'content-type': 'application/json',
      'user-agent': 'heartbeat-agent',
      ...init.headers,
    });
  }

  send(msg: Message): void {
    const body = this.admit(msg, encodeJson);
    if (body === undefined) return;
    if (this.pending !== undefined) this.replaced();
    this.pending = { msg, body };
    if (this.inFlight === undefined) this.next();
  }

  protected async shutdown(): Promise<void> {
    // The request in flight, then the one waiting (a leave, typically), each bounded by the
    // timeout.
    while (this.inFlight !== undefined) await this.inFlight;
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
        this.delivered(msg, Buffer.byteLength(body));
      } else {
        const detail = text.length > 200 ? `${text.slice(0, 200)}…` : text;
        this.fail('http-status', `HTTP ${response.status} ${detail}`.trim(), msg);
      }
    } catch (error) {
      if (controller.signal.aborted) {
        this.fail('timeout', `no answer within ${this.timeoutMs} ms`, msg);
      } else {
        this.fail('socket', fetchErrorText(error), msg, error);
      }
    } finally {
      timer.cancel();
    }
  }
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED, …) in `cause`. */
function fetchErrorText(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? errorText(error) : `${errorText(error)}: ${errorText(cause)}`;
}
