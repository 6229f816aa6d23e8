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

const clock = new SystemClock();

export async function getJson<T>(base: URL, path: string, timeoutMs = 5000): Promise<T> {
  const url = new URL(path, base);
  const abort = new AbortController();
  const timer = clock.setTimeout(() => abort.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: abort.signal });
  } catch (error) {
    const cause =
      (error as { cause?: { code?: string } }).cause?.code ??
      (abort.signal.aborted ? 'timed out' : String(error));
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
