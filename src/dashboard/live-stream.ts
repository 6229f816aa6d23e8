/**
 * The one event stream of the page: GET /v1/events/stream through EventSource, shared by every
 * view. Each transition is handed to the listeners as it comes. EventSource reconnects by itself
 * and sends `Last-Event-ID` (the id of the last transition it saw), so the monitor replays what
 * was missed; a `gap` (transitions it can no longer replay) is passed on so views can reload.
 * The first connection may resume from a given id (`?lastEventId=`), so a view that loaded a
 * page of history first misses nothing between that page and the stream.
 */
import { TimerId, later, cancel } from './page-clock.js';
import type { NodeEvents } from '../membership/types.js';
import type { TransitionRow } from './api.js';

/** What a stream event carries: a stored row (replay) or a live transition (with its id). */
export interface StreamTransition {
  id?: number;
  nodeId: string;
  from: TransitionRow['from'];
  to: TransitionRow['to'];
  reason: string;
  wallMs: number;
  evidence: TransitionRow['evidence'];
  detectionMs?: number | null;
  downForMs?: number | null;
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * The transition events the monitor sends (src/monitor/events.ts, TRANSITION_EVENT_NAMES): every
 * node event but the catch-all and the deferral, checked by the type to name each one.
 */
const EVENT_NAMES: Record<
  Exclude<keyof NodeEvents, 'transition' | 'convictions:deferred'>,
  true
> = {
  'node:joined': true,
  'node:alive': true,
  'node:suspect': true,
  'node:dead': true,
  'node:recovered': true,
  'node:restarted': true,
  'node:left': true,
  'node:removed': true,
};

export interface StreamListener {
  transition?(t: StreamTransition, event: string): void;
  /** Transitions were lost between `afterId` and `resumeId`: reload what depends on them. */
  gap?(info: { afterId: number; resumeId: number | null; reason: string }): void;
  status?(status: StreamStatus): void;
}

export class LiveStream {
  private source: EventSource | null = null;
  private readonly listeners = new Set<StreamListener>();
  private current: StreamStatus = 'connecting';
  private retry: TimerId | undefined;
  /** Id of the newest transition received. */
  lastId = 0;
  /** Transitions received since the page opened. */
  received = 0;

  /** Opens the stream (resuming after `lastEventId` when given); idempotent. */
  open(lastEventId?: number): void {
    if (this.source !== null) return;
    const url =
      lastEventId === undefined
        ? '/v1/events/stream'
        : `/v1/events/stream?lastEventId=${lastEventId}`;
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => this.setStatus('live');
    source.onerror = () => {
      this.setStatus('reconnecting');
      // EventSource gives up on an answer that is not a stream (a proxy's error page): retry.
      if (source.readyState === EventSource.CLOSED) {
        this.source = null;
        this.retry = later(() => this.open(this.lastId > 0 ? this.lastId : lastEventId), 2000);
      }
    };
    for (const name of Object.keys(EVENT_NAMES)) {
      source.addEventListener(name, (e) => this.onTransition(name, e as MessageEvent<string>));
    }
    source.addEventListener('gap', (e) => {
      const info = JSON.parse((e as MessageEvent<string>).data) as {
        afterId: number;
        resumeId: number | null;
        reason: string;
      };
      for (const l of this.listeners) l.gap?.(info);
    });
  }

  get status(): StreamStatus {
    return this.current;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    listener.status?.(this.current);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    cancel(this.retry);
    this.source?.close();
    this.source = null;
  }

  private onTransition(name: string, e: MessageEvent<string>): void {
    const t = JSON.parse(e.data) as StreamTransition;
    const id = e.lastEventId === '' ? t.id : Number(e.lastEventId);
    if (id !== undefined && Number.isFinite(id)) {
      t.id = id;
      this.lastId = Math.max(this.lastId, id);
    }
    this.received++;
    for (const l of this.listeners) l.transition?.(t, name);
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.current) return;
    this.current = status;
    for (const l of this.listeners) l.status?.(status);
  }
}
