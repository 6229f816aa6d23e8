/**
 * Which requests need which token scope, and which change the monitor's state: one table for
 * the whole API, read before any route (docs/API.md, "Authentication"; docs/SECURITY.md).
 *
 * - Public (no token, even when tokens are configured): GET /healthz, and the dashboard's own
 *   files (/, /dashboard, /dashboard/<file>): a page and a script with no data in them; the
 *   page asks the API for data with the token it is given.
 * - `admin`: /v1/keys and below (the heartbeat keyring).
 * - `write`: every push heartbeat (/v1/heartbeat, /ping/…, whatever the method) and every other
 *   method than GET and HEAD (register, remove).
 * - `read`: every other GET and HEAD (nodes, events, the stream, /metrics, /v1/stats), and paths
 *   the API does not have, so that an unauthenticated caller learns nothing of its routes.
 *
 * A request changes state when its method is not GET, HEAD or OPTIONS, and for a GET of
 * /ping/<node>/fail or /ping/<node>/leave. A GET of /ping/<node> is a heartbeat: what the node
 * says of itself, like a UDP datagram; it is not counted as a change (cron jobs ping by GET).
 */
import type { ApiScope } from '../config/token-file.js';
import { pathSegments } from './router.js';

export type Access = ApiScope | 'public';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requiredAccess(method: string, pathname: string): Access {
  const parts = pathSegments(pathname);
  const [first, second] = parts;
  if (READ_METHODS.has(method)) {
    if (parts.length === 1 && first === 'healthz') return 'public';
    if (parts.length === 0 || (first === 'dashboard' && parts.length <= 2)) return 'public';
  }
  if (first === 'v1' && second === 'keys') return 'admin';
  if (first === 'ping' || (first === 'v1' && second === 'heartbeat' && parts.length === 2)) {
    return 'write';
  }
  return READ_METHODS.has(method) ? 'read' : 'write';
}

/** True when the request asks the monitor to change what it holds (see the header). */
export function changesState(method: string, pathname: string): boolean {
  if (!READ_METHODS.has(method)) return true;
  const parts = pathSegments(pathname);
  return parts.length === 3 && parts[0] === 'ping' && (parts[2] === 'fail' || parts[2] === 'leave');
}
