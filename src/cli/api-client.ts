/**
 * A small client of the monitor's HTTP API for the `status`, `nodes` and `events` commands:
 * JSON GETs with a timeout, and one clear line when the monitor cannot be reached.
 */
import { SystemClock } from '../core/clock.js';
import { HeartbeatError } from '../core/errors.js';

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
