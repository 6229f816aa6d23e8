/**
 * A small client of the monitor's HTTP API for the `status`, `nodes` and `events` commands:
 * where the monitor is and the token to show it (`--url`, `--token`, `--token-file`,
 * HEARTBEAT_URL, HEARTBEAT_TOKEN), JSON GETs with a timeout, the node list walked page by page,
 * and one clear line when the monitor cannot be reached or refuses the token.
 */
import { readPrivateFile } from '../config/private-file.js';
import { BEARER_TOKEN } from '../config/token-file.js';
import { SystemClock } from '../core/clock.js';
import { HeartbeatError } from '../core/errors.js';
import type { NodeSnapshot } from '../membership/types.js';
import { apiUrl, UsageError, type FlagSpec } from './usage.js';

/** A monitor's API and the token to send it (null: none). */
export interface ApiTarget {
  base: URL;
  token: string | null;
}

/** The flags of every command that calls the API. */
export const API_FLAGS: FlagSpec = {
  url: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
};

/** Their lines in a command's help. */
export const API_FLAGS_HELP = `  --url URL          the monitor's HTTP API (default http://127.0.0.1:8080, or HEARTBEAT_URL)
  --token TOKEN      the API token to send (or HEARTBEAT_TOKEN; a flag shows in ps: prefer those)
  --token-file FILE  a private file (chmod 600) whose first line is the token`;

/**
 * The target from `--url`, `--token-file` or `--token` (one of the two), else HEARTBEAT_URL and
 * HEARTBEAT_TOKEN. A token file is read as the monitor reads its own: private, or refused.
 */
export function apiTarget(
  values: { url?: string; token?: string; 'token-file'?: string },
  env: NodeJS.ProcessEnv,
): ApiTarget {
  const base = apiUrl(values.url, env);
  if (values.token !== undefined && values['token-file'] !== undefined) {
    throw new UsageError('give --token or --token-file, not both');
  }
  let token: string | undefined;
  let source: string;
  if (values['token-file'] !== undefined) {
    const file = values['token-file'];
    const line = readPrivateFile(file, 'token file')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('#'));
    if (line === undefined) throw new UsageError(`token file ${file} holds no token`);
    token = line;
    source = `token file ${file}`;
  } else if (values.token !== undefined) {
    token = values.token;
    source = '--token';
  } else {
    const fromEnv = env['HEARTBEAT_TOKEN'];
    token = fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv.trim();
    source = 'HEARTBEAT_TOKEN';
  }
  if (token !== undefined && !BEARER_TOKEN.test(token)) {
    throw new UsageError(
      `${source}: a token is letters, digits and - . _ ~ + / (then = padding), with no spaces`,
    );
  }
  return { base, token: token ?? null };
}

/** The headers that carry a target's token. */
export function authHeaders(target: ApiTarget): Record<string, string> {
  return target.token === null ? {} : { authorization: `Bearer ${target.token}` };
}

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
 * The monitor refused the token (401: none or not one of its own; 403: a token without the scope).
 * An operator's configuration to fix: exit status 2.
 */
export class ApiAuthError extends ApiError {}

/** What the CLI says on a 401 or 403, with what to do. */
function authMessage(status: number, reason: string | undefined, message: string): string {
  const hint =
    status === 403
      ? 'use a token with that scope'
      : reason === 'missing-token'
        ? 'give a token with --token-file, HEARTBEAT_TOKEN or --token'
        : 'check the token given (--token-file, HEARTBEAT_TOKEN or --token)';
  return `the monitor refused the request (${status} ${reason ?? 'unauthorized'}): ${message}; ${hint}`;
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

export async function getJson<T>(target: ApiTarget, path: string, timeoutMs = 5000): Promise<T> {
  const { base } = target;
  const url = new URL(path, base);
  const abort = new AbortController();
  const timer = clock.setTimeout(() => abort.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { headers: authHeaders(target), signal: abort.signal });
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
  if (!response.ok) throw problemError(response.status, body);
  return body as T;
}

/** Nodes asked for per request: the API's largest page (MAX_NODES_PAGE). */
const PAGE = 10_000;

/**
 * Every node GET /v1/nodes gives for `filters`, page after page until the API says there is no
 * next one, sorted by id (the pages come in the table's own order).
 */
export async function getAllNodes(
  target: ApiTarget,
  filters: URLSearchParams,
): Promise<NodeSnapshot[]> {
  const nodes: NodeSnapshot[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams(filters);
    query.set('limit', String(PAGE));
    if (cursor !== null) query.set('cursor', cursor);
    const page = await getJson<{ nodes: NodeSnapshot[]; nextCursor?: string | null }>(
      target,
      `/v1/nodes?${query}`,
    );
    nodes.push(...page.nodes);
    cursor = page.nextCursor ?? null;
  } while (cursor !== null);
  return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The error for an answer other than 2xx with the API's `{error, message}` body. */
export function problemError(status: number, body: unknown): ApiError {
  const { error, message } = (body ?? {}) as { error?: string; message?: string };
  const text = message ?? error ?? `status ${status}`;
  if (status === 401 || status === 403) {
    return new ApiAuthError(authMessage(status, error, text), status);
  }
  return new ApiError(text, status);
}
