/**
 * `heartbeat events --follow` as a client that outlives the monitor's restarts: it reads the event
 * stream, and when the stream ends or breaks it reconnects with backoff (250 ms, doubling to
 * 10 s, back to 250 ms once connected), sending `Last-Event-ID` of the last event it printed, so
 * the monitor replays what was stored meanwhile: every transition once, in order. What it says,
 * on stderr, one line each: the connection was lost (and why), the stream resumed after which id,
 * and a `gap` the monitor could not replay.
 *
 * The first connection starts from the newest stored id, so a restart before the first event is
 * covered too; failing to reach the monitor at all is an error (the command exits), as before.
 */
import { SystemClock, type Clock } from '../core/clock.js';
import {
  ApiError,
  authHeaders,
  getJson,
  problemError,
  unreachableCause,
  type ApiTarget,
} from './api-client.js';
import { SseParser, type SseFrame } from './sse-parser.js';
import type { CliIo } from './usage.js';

export interface FollowOptions {
  /** The monitor and its token. */
  target: ApiTarget;
  /** The stream's filters (`node`, `state`). */
  query: URLSearchParams;
  io: CliIo;
  /** Prints one transition event. */
  print(frame: SseFrame): void;
  /** Stop after this many transitions. @default Infinity */
  count?: number;
  /** @default SystemClock */
  clock?: Clock;
  /**
   * A stream silent this long (not even the monitor's keep-alive, every 15 s) is taken as lost: a
   * stopped monitor or a broken network leaves a connection that never ends. @default 45_000
   */
  idleTimeoutMs?: number;
}

/** The first wait before reconnecting; each failed try doubles it. */
export const RECONNECT_FIRST_MS = 250;
/** The longest wait between tries. */
export const RECONNECT_MAX_MS = 10_000;

/** 250 ms, 1 s, 10 s. */
function delayText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

/** The line said for an `event: gap`. */
export function gapLine(data: string): string {
  let gap: { afterId?: unknown; resumeId?: unknown; reason?: unknown } = {};
  try {
    gap = JSON.parse(data) as typeof gap;
  } catch {
    // Said as it came.
  }
  const resume =
    typeof gap.resumeId === 'number'
      ? `the stream goes on from id ${gap.resumeId}`
      : 'the stream goes on from an unknown id';
  return (
    `events: gap: transitions after id ${String(gap.afterId ?? '?')} could not be replayed ` +
    `(${String(gap.reason ?? data)}); ${resume} (heartbeat events --limit N shows the stored ones)`
  );
}

/** Why a stream being read broke: `other side closed`, `ECONNRESET`, … */
function brokenCause(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return typeof cause?.message === 'string' ? cause.message : unreachableCause(error);
}

/** The id of the newest stored transition, '0' when none is stored. */
async function newestId(target: ApiTarget): Promise<string> {
  const { events } = await getJson<{ events: { id?: number }[] }>(target, '/v1/events?limit=1');
  return String(events[0]?.id ?? 0);
}

/** Follows the stream until `count` transitions were printed; resolves with the exit status. */
export async function followEvents(options: FollowOptions): Promise<number> {
  const { target, io } = options;
  const clock = options.clock ?? new SystemClock();
  const count = options.count ?? Infinity;
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  let lastId = await newestId(target);
  let printed = 0;
  let delayMs = RECONNECT_FIRST_MS;
  let connected = false;
  let lost = false;
  for (;;) {
    let why: string;
    try {
      if (lost) {
        // Ids are never reused, so a history whose newest id is behind ours is another one (a
        // monitor without a file restarted): replay all of it rather than nothing. (An empty
        // history may be one pruned to nothing: its next ids still follow ours.)
        const newest = Number(await newestId(target));
        if (newest > 0 && newest < Number(lastId)) {
          io.err(
            `events: the monitor's history restarted (its newest id is ${newest}, below ${lastId}): ` +
              'following it from its start; transitions of the old one may be missing',
          );
          lastId = '0';
        }
      }
      const stream = new EventStream(clock, idleTimeoutMs);
      await stream.open(target, options.query, lastId);
      if (lost) io.err(`events: resumed after id ${lastId}`);
      connected = true;
      lost = false;
      delayMs = RECONNECT_FIRST_MS;
      for await (const frame of stream.frames()) {
        if (frame.event === 'gap') {
          io.err(gapLine(frame.data));
          continue;
        }
        options.print(frame);
        if (frame.id !== null) lastId = frame.id;
        // Leaving the loop ends the stream (and its timer).
        if (++printed >= count) return 0;
      }
      why = 'the monitor ended the stream';
    } catch (error) {
      // The first connection failing is the command failing; a refusal is not worth retrying.
      if (!connected) throw error;
      if (error instanceof ApiError && error.status !== null && error.status < 500) throw error;
      why = error instanceof ApiError ? error.message : brokenCause(error);
    }
    io.err(
      `events: ${lost ? 'still no connection' : 'connection lost'}, reconnecting in ` +
        `${delayText(delayMs)} (${why})`,
    );
    lost = true;
    await new Promise<void>((resolve) => clock.setTimeout(resolve, delayMs));
    delayMs = Math.min(2 * delayMs, RECONNECT_MAX_MS);
  }
}

/** One connection to GET /v1/events/stream, aborted when silent for `idleTimeoutMs`. */
class EventStream {
  private readonly abort = new AbortController();
  private idle: { cancel(): void } | null = null;
  private closed = false;
  private body: AsyncIterable<Uint8Array> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly idleTimeoutMs: number,
  ) {}

  /** Connects; throws ApiError when the monitor cannot be reached or refuses the stream. */
  async open(target: ApiTarget, query: URLSearchParams, lastId: string): Promise<void> {
    const { base } = target;
    this.touch();
    let response: Response;
    try {
      response = await fetch(new URL(`/v1/events/stream?${query}`, base), {
        headers: { accept: 'text/event-stream', 'last-event-id': lastId, ...authHeaders(target) },
        signal: this.abort.signal,
      });
    } catch (error) {
      this.close();
      const cause = this.abort.signal.aborted ? 'no answer in time' : unreachableCause(error);
      throw new ApiError(`cannot reach the monitor at ${base.origin}: ${cause}`, null);
    }
    if (!response.ok || response.body === null) {
      this.close();
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      if (response.status === 401 || response.status === 403) {
        throw problemError(response.status, body);
      }
      throw new ApiError(
        `event stream refused: status ${response.status}${body.message ? `: ${body.message}` : ''}`,
        response.status,
      );
    }
    this.body = response.body as unknown as AsyncIterable<Uint8Array>;
  }

  /** The events as they arrive; ends when the stream ends, throws when it breaks. */
  async *frames(): AsyncGenerator<SseFrame> {
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for await (const chunk of this.body ?? []) {
        this.touch();
        yield* parser.push(decoder.decode(chunk, { stream: true }));
      }
    } catch (error) {
      if (this.closed) return;
      if (this.abort.signal.aborted) {
        throw new ApiError(`no data for ${this.idleTimeoutMs / 1000} s`, null);
      }
      throw error;
    } finally {
      this.close();
    }
  }

  close(): void {
    this.closed = true;
    this.idle?.cancel();
    this.idle = null;
    this.abort.abort();
  }

  /** Something arrived: the silence starts again. */
  private touch(): void {
    this.idle?.cancel();
    this.idle = this.clock.setTimeout(() => this.abort.abort(), this.idleTimeoutMs);
  }
}
