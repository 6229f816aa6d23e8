/**
 * Delivers transitions to one HTTP endpoint as JSON POSTs, without ever holding up detection:
 * `deliver()` only enqueues. Deliveries go out one at a time, in order, so a receiver sees a
 * node's `suspect` before its `alive`; a failed attempt is retried with exponential backoff on
 * the injected clock. The queue is bounded (MAX_PENDING_WEBHOOKS): when it is full the oldest
 * waiting delivery is dropped and counted, because recent news is worth more than old news.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../core/clock.js';
import { TypedEmitter } from '../core/emitter.js';
import { ConfigError } from '../core/errors.js';
import { MAX_PENDING_WEBHOOKS } from '../core/limits.js';
import type { NodeTransition } from '../membership/types.js';
import { transitionDocument } from './transition-document.js';

export interface WebhookSinkOptions {
  /** http:// or https:// URL that receives a POST per transition. */
  url: string;
  /**
   * Deliveries waiting to be sent (including the one being attempted).
   * @default MAX_PENDING_WEBHOOKS (10 000): a mass failure of a large fleet fits; memory stays
   * bounded (about 1 KiB per delivery) when the receiver is down.
   */
  maxPending?: number;
  /**
   * Attempts per delivery, the first included, before it is counted as failed.
   * @default 5: with the default backoff, a receiver may be away for about 8 s (plus timeouts)
   * without losing anything, while a dead receiver does not hold the queue for long.
   */
  maxAttempts?: number;
  /**
   * Wait before the first retry; doubles with each further retry.
   * @default 500 ms: long enough for a restarting receiver, short next to a detection time.
   */
  initialBackoffMs?: number;
  /**
   * Longest wait between two attempts (also caps a receiver's Retry-After).
   * @default 30 000 ms: a receiver back after an outage hears of it within 30 s.
   */
  maxBackoffMs?: number;
  /**
   * Time allowed for one attempt, from request to response headers.
   * @default 5 000 ms: a healthy receiver answers in milliseconds; a hanging one must not stall
   * the queue for longer than this per attempt.
   */
  timeoutMs?: number;
  /** The fetch implementation. @default globalThis.fetch (Node.js 20's built-in). */
  fetch?: typeof fetch;
}

export interface WebhookStats {
  delivered: number;
  /** Deliveries given up: attempts exhausted, or refused by the receiver (4xx). */
  failed: number;
  /** Deliveries dropped unsent: queue full, or still pending at `stop()`. */
  dropped: number;
  /** Deliveries in the queue, the one being attempted included. */
  pending: number;
  /** Attempts after the first. */
  retries: number;
}

/** What happened to a delivery (for logs and metrics; the counters say the same). */
export type WebhookEvents = {
  'webhook:delivered': { deliveryId: string; nodeId: string; attempts: number; status: number };
  /** An attempt failed and another is scheduled `delayMs` from now. */
  'webhook:retry': {
    deliveryId: string;
    nodeId: string;
    attempt: number;
    delayMs: number;
    error: string;
  };
  'webhook:failed': { deliveryId: string; nodeId: string; attempts: number; error: string };
  'webhook:dropped': { deliveryId: string; nodeId: string; reason: 'queue-full' | 'stopped' };
};

interface Delivery {
  deliveryId: string;
  nodeId: string;
  body: string;
  attempts: number;
}

type Outcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; error: string; retryAfterMs: number | null }
  | { kind: 'refused'; error: string };

const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_INITIAL_BACKOFF_MS = 500;
const DEFAULT_MAX_BACKOFF_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const USER_AGENT = 'heartbeat-webhook/1';

export class WebhookSink {
  readonly url: string;
  readonly events = new TypedEmitter<WebhookEvents>();
  private readonly clock: Clock;
  private readonly maxPending: number;
  private readonly maxAttempts: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  /** Oldest first; `queue[0]` is the delivery being attempted or waiting to retry. */
  private queue: Delivery[] = [];
  private inFlight: { controller: AbortController; done: Promise<void> } | null = null;
  private retryTimer: TimerHandle | null = null;
  private stopped = false;
  private readonly counts = { delivered: 0, failed: 0, dropped: 0, retries: 0 };

  constructor(components: { clock: Clock }, init: WebhookSinkOptions) {
    this.clock = components.clock;
    this.url = checkUrl(init.url);
    this.maxPending = Math.max(1, init.maxPending ?? MAX_PENDING_WEBHOOKS);
    this.maxAttempts = Math.max(1, init.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.initialBackoffMs = Math.max(0, init.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS);
    this.maxBackoffMs = Math.max(
      this.initialBackoffMs,
      init.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
    );
    this.timeoutMs = Math.max(1, init.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.fetch = init.fetch ?? globalThis.fetch;
  }

  /** Enqueues a delivery and returns at once; never throws. */
  deliver(t: NodeTransition): void {
    const delivery: Delivery = {
      deliveryId: randomUUID(),
      nodeId: t.nodeId,
      body: '',
      attempts: 0,
    };
    if (this.stopped) {
      this.drop(delivery, 'stopped');
      return;
    }
    try {
      delivery.body = JSON.stringify({ ...transitionDocument(t), deliveryId: delivery.deliveryId });
    } catch (error) {
      // Only a malformed transition (a BigInt, a cycle) gets here; it cannot be sent.
      this.counts.failed++;
      this.events.emit('webhook:failed', { ...ids(delivery), attempts: 0, error: describe(error) });
      return;
    }
    this.queue.push(delivery);
    if (this.queue.length > this.maxPending) {
      // The head is being attempted: the oldest *waiting* delivery goes.
      const [dropped] = this.queue.splice(1, 1);
      if (dropped !== undefined) this.drop(dropped, 'queue-full');
    }
    this.pump();
  }

  stats(): WebhookStats {
    return { ...this.counts, pending: this.queue.length };
  }

  /** Cancels the retry timer and the attempt in flight; pending deliveries are dropped (counted). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.retryTimer?.cancel();
    this.retryTimer = null;
    const inFlight = this.inFlight;
    inFlight?.controller.abort(new Error('webhook sink stopped'));
    for (const delivery of this.queue.splice(0)) this.drop(delivery, 'stopped');
    await inFlight?.done;
  }

  /** Starts the next attempt when nothing is in flight or waiting to retry. */
  private pump(): void {
    if (this.stopped || this.inFlight !== null || this.retryTimer !== null) return;
    const head = this.queue[0];
    if (head === undefined) return;
    head.attempts++;
    const controller = new AbortController();
    const timeout = this.clock.setTimeout(
      () => controller.abort(new Error(`timed out after ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    const done = this.attempt(head, controller.signal).then((outcome) => {
      timeout.cancel();
      this.inFlight = null;
      if (!this.stopped) this.settle(head, outcome);
    });
    this.inFlight = { controller, done };
  }

  private async attempt(delivery: Delivery, signal: AbortSignal): Promise<Outcome> {
    try {
      const response = await this.fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'x-heartbeat-delivery': delivery.deliveryId,
          'x-heartbeat-attempt': String(delivery.attempts),
        },
        body: delivery.body,
        signal,
        // A redirect is not followed: a 307 would POST the transition to wherever it points.
        redirect: 'manual',
      });
      // The answer's body is not needed; release the connection.
      await response.body?.cancel().catch(() => undefined);
      const status = response.status;
      if (status >= 200 && status < 300) return { kind: 'delivered', status };
      if (status >= 300 && status < 400) {
        const to = response.headers.get('location') ?? 'nowhere';
        return { kind: 'refused', error: `HTTP ${status}: redirect to ${to} not followed` };
      }
      const error = `HTTP ${status}`;
      if (status === 408 || status === 429 || status >= 500) {
        return {
          kind: 'retry',
          error,
          retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
        };
      }
      return { kind: 'refused', error };
    } catch (error) {
      const reason = signal.aborted ? signal.reason : error;
      return { kind: 'retry', error: describe(reason), retryAfterMs: null };
    }
  }

  private settle(delivery: Delivery, outcome: Outcome): void {
    if (outcome.kind === 'delivered') {
      this.queue.shift();
      this.counts.delivered++;
      this.events.emit('webhook:delivered', {
        ...ids(delivery),
        attempts: delivery.attempts,
        status: outcome.status,
      });
    } else if (outcome.kind === 'refused' || delivery.attempts >= this.maxAttempts) {
      this.queue.shift();
      this.counts.failed++;
      this.events.emit('webhook:failed', {
        ...ids(delivery),
        attempts: delivery.attempts,
        error: outcome.error,
      });
    } else {
      const delayMs = this.backoffMs(delivery.attempts, outcome.retryAfterMs);
      this.counts.retries++;
      this.retryTimer = this.clock.setTimeout(() => {
        this.retryTimer = null;
        this.pump();
      }, delayMs);
      this.events.emit('webhook:retry', {
        ...ids(delivery),
        attempt: delivery.attempts,
        delayMs,
        error: outcome.error,
      });
      return;
    }
    this.pump();
  }

  /** Wait after failed attempt number `attempt` (1-based): doubling, capped, at least Retry-After. */
  private backoffMs(attempt: number, retryAfter: number | null): number {
    const doubled = this.initialBackoffMs * 2 ** Math.min(attempt - 1, 30);
    return Math.min(this.maxBackoffMs, Math.max(doubled, retryAfter ?? 0));
  }

  private drop(delivery: Delivery, reason: 'queue-full' | 'stopped'): void {
    this.counts.dropped++;
    this.events.emit('webhook:dropped', { ...ids(delivery), reason });
  }
}

function ids(delivery: Delivery): { deliveryId: string; nodeId: string } {
  return { deliveryId: delivery.deliveryId, nodeId: delivery.nodeId };
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`webhook URL ${JSON.stringify(url)} is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`webhook URL ${JSON.stringify(url)} must be http:// or https://`);
  }
  return parsed.href;
}

/** Retry-After in seconds (the date form is ignored: it would need the wall clock to agree). */
function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim()) * 1000;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
