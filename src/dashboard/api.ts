/**
 * The monitor's HTTP API as the dashboard uses it: typed GETs of the same origin (the page is
 * served by the monitor it shows). The shapes are the API's own types (docs/API.md), imported as
 * types only: the dashboard talks to the monitor over HTTP and nothing else.
 */
import type { Evidence, NodeSnapshot, NodeState } from '../membership/types.js';
import type { TransitionRow } from '../store/history-store.js';

/** GET /v1/nodes: one page. `suspicion` is null on the wire where it is infinite. */
export interface NodesPage {
  nodes: NodeSnapshot[];
  counts: Record<NodeState, number>;
  nextCursor: string | null;
}

/** GET /v1/nodes/:id */
export interface NodeDetail {
  node: NodeSnapshot;
  evidence: { now: Evidence | null; lastTransition: Evidence | null };
  transitions: TransitionRow[];
}

/** GET /v1/events */
export interface EventsPage {
  events: TransitionRow[];
  nextBefore: number | null;
}

/** GET /v1/nodes/:id/arrivals: the node's recent heartbeats, kept while someone looks. */
export interface ArrivalsAnswer {
  nodeId: string;
  /** Wall ms since when this node's arrivals are kept (the first time they were asked for). */
  sinceWallMs: number;
  /** The most the ring keeps. */
  capacity: number;
  /** Wall ms of each kept arrival, oldest first. */
  arrivalsWallMs: number[];
}

/** GET /healthz */
export interface Health {
  status: string;
  nodes: number;
  uptimeMs: number;
  wallMs: number;
}

/** The parts of GET /v1/stats the dashboard shows. */
export interface Stats {
  uptimeMs: number;
  recording: { path?: string; lines?: number; dropped?: number } | null;
  [key: string]: unknown;
}

export type { Evidence, NodeSnapshot, NodeState, TransitionRow };

/** An answer other than 2xx: the API's `{error, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where a token for the API is kept once the monitor asks for one (session storage only). */
export const TOKEN_KEY = 'heartbeat.token';

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token !== null && token !== '') headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(path, { headers, signal, cache: 'no-store' });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (!res.ok) {
    const problem = (body ?? {}) as { error?: string; message?: string };
    throw new ApiError(
      res.status,
      problem.error ?? 'http',
      problem.message ?? `${res.status} ${res.statusText}`,
    );
  }
  return body as T;
}

/** A query string of the defined, non-empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}

export const nodePath = (id: string) => `/v1/nodes/${encodeURIComponent(id)}`;
