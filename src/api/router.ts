/**
 * A minimal method-and-path router: patterns like `/v1/nodes/:id`, where `:name` matches one
 * path segment (percent-decoded). An unknown path is 404 `not-found`; a known path with another
 * method is 405 `method-not-allowed` with an `Allow` header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Method = 'GET' | 'POST' | 'DELETE' | 'HEAD';

/** What a handler gets: the request, the response, path parameters and the query. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

interface Route {
  methods: Set<string>;
  segments: string[];
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'bad-path' };

export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route for one or more methods; the first matching route wins. */
  add(methods: Method | Method[], pattern: string, handler: Handler): this {
    const list = Array.isArray(methods) ? methods : [methods];
    this.routes.push({ methods: new Set(list), segments: pathSegments(pattern), handler });
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = pathSegments(pathname);
    const allow = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (params === null) continue;
      if (params === undefined) return { kind: 'bad-path' };
      if (route.methods.has(method)) return { kind: 'found', handler: route.handler, params };
      for (const m of route.methods) allow.add(m);
    }
    return allow.size > 0
      ? { kind: 'method-not-allowed', allow: [...allow].sort() }
      : { kind: 'not-found' };
  }
}

/** A path's segments, empty ones dropped: how routes and the access policy read a path. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Params when the path matches, null when it does not, undefined when a segment is malformed. */
function matchSegments(
  pattern: string[],
  parts: string[],
): Record<string, string> | null | undefined {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const part = parts[i] as string;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (p !== part) {
      return null;
    }
  }
  return params;
}
