/**
 * Server-Sent Events for GET /v1/events/stream: every node transition as it happens, as
 * `event: node:dead` with the transition as JSON data and `id:` its history row id (optionally
 * only one node's, or only transitions into one state), and on request `monitor:stall` when the
 * pause guard fires. A comment line every `keepaliveMs` (a clock timer) keeps proxies and load
 * balancers from closing an idle stream. Bounded: at most MAX_SSE_CLIENTS subscribers, and one
 * that stops reading is dropped once MAX_SSE_BUFFERED_BYTES wait for it.
 *
 * Resuming: a client that reconnects with `Last-Event-ID: N` (what EventSource sends by itself)
 * first gets the stored transitions after N, oldest first, then the live ones, without a gap or
 * a duplicate: live events that arrive during the replay wait and are sent after it, skipping
 * those the replay already held. When transitions after N are no longer stored (pruned), or
 * more than MAX_SSE_REPLAY follow N, the stream says so with an `event: gap` whose data names
 * the first id it could not send, instead of hiding it.
 */
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../core/clock.js';
import { LimitError } from '../core/errors.js';
import {
  MAX_HISTORY_PAGE,
  MAX_SSE_BUFFERED_BYTES,
  MAX_SSE_CLIENTS,
  MAX_SSE_REPLAY,
} from '../core/limits.js';
import type { NodeState, NodeTransition } from '../membership/types.js';
import { TRANSITION_EVENT_NAMES, transitionEventName } from '../monitor/events.js';
import type { HistoryStore, TransitionRow } from '../store/history-store.js';
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
  /** Frames that arrived while the replay ran, with their ids (null: a monitor event). */
  held: { frame: string; id: number | null }[] | null;
}

export class SseHub {
  private readonly clock: Clock;
  private readonly clients = new Set<Client>();
  private readonly keepaliveMs: number;
  private readonly maxClients: number;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly history: () => HistoryStore | null;
  private timer: TimerHandle | null = null;
  private sent = 0;
  private dropped = 0;

  constructor(components: { clock: Clock; monitor: ApiBackend }, init: SseHubOptions = {}) {
    this.clock = components.clock;
    const monitor = components.monitor;
    this.history = () => monitor.history;
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

  /**
   * Turns the response into an event stream, first replaying what was stored after
   * `lastEventId` when given; throws LimitError when the hub is full.
   */
  async subscribe(res: ServerResponse, filter: SseFilter, lastEventId?: number): Promise<void> {
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
    const client: Client = { res, filter, held: lastEventId === undefined ? null : [] };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    if (this.timer === null) {
      this.timer = this.clock.setInterval(() => this.keepalive(), this.keepaliveMs);
    }
    if (lastEventId !== undefined) await this.replay(client, lastEventId);
  }

  /** Sends the stored transitions after `afterId`, then what arrived meanwhile, then goes live. */
  private async replay(client: Client, afterId: number): Promise<void> {
    let last = afterId;
    try {
      const history = this.history();
      if (history !== null) last = await this.replayFrom(history, client, afterId);
    } catch {
      this.write(client, gapFrame(afterId, null, 'the history could not be read'));
    }
    const held = client.held ?? [];
    client.held = null;
    for (const { frame, id } of held) {
      if (id === null || id > last) this.write(client, frame);
    }
  }

  private async replayFrom(
    history: HistoryStore,
    client: Client,
    afterId: number,
  ): Promise<number> {
    const { nodeId, state } = client.filter;
    const oldest = (await history.transitions({ after: 0, limit: 1 })).rows[0];
    if (oldest !== undefined && oldest.id > afterId + 1) {
      this.write(client, gapFrame(afterId, oldest.id, 'older transitions were pruned'));
    }
    let last = afterId;
    let sent = 0;
    for (;;) {
      const page = await history.transitions({
        after: last,
        limit: MAX_HISTORY_PAGE,
        nodeId,
        state: state as NodeState | undefined,
      });
      for (const row of page.rows) {
        if (!this.clients.has(client)) return last;
        if (sent === MAX_SSE_REPLAY) {
          this.write(client, gapFrame(last, row.id, `more than ${MAX_SSE_REPLAY} to replay`));
          return Infinity; // nothing held is older than what the client must page for
        }
        this.write(client, rowFrame(row));
        last = row.id;
        sent++;
      }
      if (page.rows.length < MAX_HISTORY_PAGE) return last;
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
    const id = t?.id ?? null;
    for (const c of this.clients) {
      if (t === null ? c.filter.monitorEvents !== true : !matches(c.filter, t)) continue;
      frame ??= `${id === null ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
      if (c.held !== null) c.held.push({ frame, id });
      else this.write(c, frame);
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

/** A stored transition as the stream sends it: the row as GET /v1/events gives it. */
function rowFrame(row: TransitionRow): string {
  return `id: ${row.id}\nevent: ${transitionEventName(row)}\ndata: ${JSON.stringify(row)}\n\n`;
}

/** Transitions the stream cannot send: from `afterId` on, up to `resumeId` (null: unknown). */
function gapFrame(afterId: number, resumeId: number | null, why: string): string {
  const data = JSON.stringify({ afterId, resumeId, reason: why });
  return `event: gap\ndata: ${data}\n\n`;
}

function matches(filter: SseFilter, t: NodeTransition): boolean {
  if (filter.nodeId !== undefined && filter.nodeId !== t.nodeId) return false;
  if (filter.state !== undefined && filter.state !== t.to) return false;
  return true;
}
