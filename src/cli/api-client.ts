/**
 * A small client of the monitor's HTTP API for the `status`, `nodes` and `events` commands:
 * JSON GETs with a timeout, the node list walked page by page, and one clear line when the
 * monitor cannot be reached.
 */
import { SystemClock } from '../core/clock.js';
import { HeartbeatError } from '../core/errors.js';
import type { NodeSnapshot } from '../membership/types.js';

/** The monitor could not be reached or answered with an error. */
export class ApiError extends HeartbeatError {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super('api', message);
  }
}

/**
 * The monitor could not be asked at all: no connection, no answer in time, or a 5xx answer (it
 * is there but cannot say). `heartbeat status` exits 3 for this rather than 1 (node not healthy).
 */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === null || error.status >= 500);
}

/** Why fetch failed, in a word or two: `ECONNREFUSED`, `bad port`, … */
export function unreachableCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

const clock = new SystemClock();

export async function getJson<T>(base: URL, path: string, timeoutMs = 5000): Promise<T> {
  const url = new URL(path, base);
  const abort = new AbortController();
  const timer = clock.setTimeout(() => abort.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: abort.signal });
  } catch (error) {
    const cause = abort.signal.aborted ? 'timed out' : unreachableCause(error);
    throw new ApiError(`cannot reach the monitor at ${base.origin}: ${cause}`, null);
  } finally {
    timer.cancel();
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(
      `${url.pathname}: the monitor answered ${response.status} with no JSON`,
      response.status,
    );
  }
  if (!response.ok) {
    const { error, message } = body as { error?: string; message?: string };
    throw new ApiError(message ?? error ?? `status ${response.status}`, response.status);
  }
  return body as T;
}

/** Nodes asked for per request: the API's largest page (MAX_NODES_PAGE). */
const PAGE = 10_000;

/**
 * Every node GET /v1/nodes gives for `filters`, page after page until the API says there is no
 * next one, sorted by id (the pages come in the table's own order).
 */
export async function getAllNodes(base: URL, filters: URLSearchParams): Promise<NodeSnapshot[]> {
  const nodes: NodeSnapshot[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams(filters);
    query.set('limit', String(PAGE));
    if (cursor !== null) query.set('cursor', cursor);
    const page = await getJson<{ nodes: NodeSnapshot[]; nextCursor?: string | null }>(
      base,
      `/v1/nodes?${query}`,
    );
    nodes.push(...page.nodes);
    cursor = page.nextCursor ?? null;
  } while (cursor !== null);
  return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
