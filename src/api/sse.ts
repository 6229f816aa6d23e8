/**
 * Server-Sent Events for GET /v1/events/stream: every node transition as it happens, as
 * `event: node:dead` with the transition as JSON data (optionally only one node's, or only
 * transitions into one state), and on request `monitor:stall` when the pause guard fires. A comment line
 * every `keepaliveMs` (a clock timer) keeps proxies and load balancers from closing an idle
 * stream. Bounded: at most MAX_SSE_CLIENTS subscribers, and one that stops reading is dropped
 * once MAX_SSE_BUFFERED_BYTES wait for it.
 */
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../core/clock.js';
import { LimitError } from '../core/errors.js';
import { MAX_SSE_BUFFERED_BYTES, MAX_SSE_CLIENTS } from '../core/limits.js';
import type { NodeTransition } from '../membership/types.js';
import { TRANSITION_EVENT_NAMES } from '../monitor/events.js';
import type { ApiBackend } from './backend.js';

export interface SseFilter {
  nodeId?: string;
  /** Only transitions into this state. */
  state?: string;
  /** Also the monitor's own events (`monitor:stall`); off by default, so every event is a transition. */
  monitorEvents?: boolean;
}

export interface SseHubOptions {
  /** Period of the keep-alive comment. @default 15_000 — below the 30–60 s idle timeouts of common proxies. */
  keepaliveMs?: number;
  /** Subscribers at once. @default MAX_SSE_CLIENTS */
  maxClients?: number;
}

interface Client {
  res: ServerResponse;
  filter: SseFilter;
}

export class SseHub {
  private readonly clock: Clock;
  private readonly clients = new Set<Client>();
  private readonly keepaliveMs: number;
  private readonly maxClients: number;
  private readonly unsubscribe: (() => void)[] = [];
  private timer: TimerHandle | null = null;
  private sent = 0;
  private dropped = 0;

  constructor(components: { clock: Clock; monitor: ApiBackend }, init: SseHubOptions = {}) {
    this.clock = components.clock;
    this.keepaliveMs = init.keepaliveMs ?? 15_000;
    this.maxClients = init.maxClients ?? MAX_SSE_CLIENTS;
    for (const name of TRANSITION_EVENT_NAMES) {
      this.unsubscribe.push(components.monitor.on(name, (t) => this.publishTransition(name, t)));
    }
    this.unsubscribe.push(
      components.monitor.on('monitor:stall', (s) => this.publish('monitor:stall', s, null)),
    );
  }

  /** Subscribers connected now. */
  get clientCount(): number {
    return this.clients.size;
  }

  stats(): { clients: number; eventsSent: number; slowClientsDropped: number } {
    return { clients: this.clients.size, eventsSent: this.sent, slowClientsDropped: this.dropped };
  }

  /** Turns the response into an event stream; throws LimitError when the hub is full. */
  subscribe(res: ServerResponse, filter: SseFilter): void {
    if (this.clients.size >= this.maxClients) {
      throw new LimitError('MAX_SSE_CLIENTS', `at most ${this.maxClients} event streams at once`);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write(': heartbeat event stream\nretry: 2000\n\n');
    const client: Client = { res, filter };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    if (this.timer === null) {
      this.timer = this.clock.setInterval(() => this.keepalive(), this.keepaliveMs);
    }
  }

  /** Ends every stream and stops the keep-alive; the hub takes no more subscribers' events. */
  close(): void {
    this.timer?.cancel();
    this.timer = null;
    for (const off of this.unsubscribe.splice(0)) off();
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private publishTransition(name: string, t: NodeTransition): void {
    this.publish(name, t, t);
  }

  /** Sends one event to every subscriber whose filter takes it (`t` null: a monitor event). */
  private publish(name: string, data: unknown, t: NodeTransition | null): void {
    if (this.clients.size === 0) return;
    let frame: string | undefined;
    for (const c of this.clients) {
      if (t === null ? c.filter.monitorEvents !== true : !matches(c.filter, t)) continue;
      frame ??= `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
      this.write(c, frame);
      this.sent++;
    }
  }

  private keepalive(): void {
    if (this.clients.size === 0) {
      this.timer?.cancel();
      this.timer = null;
      return;
    }
    const frame = `: keepalive ${Math.round(this.clock.wallMs())}\n\n`;
    for (const c of this.clients) this.write(c, frame);
  }

  private write(c: Client, frame: string): void {
    if (c.res.writableLength > MAX_SSE_BUFFERED_BYTES) {
      this.dropped++;
      this.clients.delete(c);
      c.res.destroy();
      return;
    }
    c.res.write(frame);
  }
}

function matches(filter: SseFilter, t: NodeTransition): boolean {
  if (filter.nodeId !== undefined && filter.nodeId !== t.nodeId) return false;
  if (filter.state !== undefined && filter.state !== t.to) return false;
  return true;
}
