/**
 * What every request passes before any route: the API's door (docs/SECURITY.md, "The HTTP API").
 *
 * 1. Its `Host` must be one the monitor answers to (host-check.ts), against DNS rebinding.
 * 2. A CORS preflight (OPTIONS with an Origin) is answered only for the origins configured in
 *    `corsOrigins`; no other origin is ever given `Access-Control-Allow-Origin`, so a page of
 *    another site can neither read an answer nor send a request that needs a preflight.
 * 3. With tokens configured, it must present one (`Authorization: Bearer …`) with the scope its
 *    endpoint needs (access-policy.ts): 401 `missing-token` or `bad-token`, 403 `missing-scope`.
 * 4. A request that changes state (access-policy.ts) must be one no page of another site can
 *    send unasked: no foreign `Origin` (403 `origin-not-allowed`), and an Authorization header
 *    or, for methods other than GET, `content-type: application/json` (415 `json-required`);
 *    a GET that would change state without one is 405 `state-change-by-get`. A browser sends a
 *    cross-site `<form>`, `<img>`, `sendBeacon` or `text/plain` fetch without asking; a JSON
 *    body or an Authorization header needs the preflight that step 2 refuses.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiTokens, TokenCheck } from './api-tokens.js';
import { changesState, requiredAccess, type Access } from './access-policy.js';
import type { ApiProblem } from './http-json.js';
import { HostCheck } from './host-check.js';

/** What to do with a request before routing it. */
export type GateVerdict =
  | { kind: 'pass'; headers: Record<string, string> }
  | { kind: 'refuse'; problem: ApiProblem; headers: Record<string, string> }
  | { kind: 'preflight'; headers: Record<string, string> };

export interface GateSettings {
  /** Names a request may give in its Host beside the defaults (config `allowedHosts`). */
  allowedHosts: readonly string[];
  /** Origins (`https://ops.example.com`) whose pages may call the API (config `corsOrigins`). */
  corsOrigins: readonly string[];
}

/** The one endpoint a token may come in the query for: EventSource cannot send headers. */
const QUERY_TOKEN_PATH = '/v1/events/stream';

const REALM = 'Bearer realm="heartbeat"';

export class ApiGate {
  private hostCheck: HostCheck;
  private hostsFor: readonly string[];

  constructor(
    private readonly tokens: ApiTokens,
    private readonly bindHost: string,
    private readonly settings: () => GateSettings,
  ) {
    this.hostsFor = settings().allowedHosts;
    this.hostCheck = new HostCheck(bindHost, this.hostsFor);
  }

  check(req: IncomingMessage, url: URL): GateVerdict {
    const { allowedHosts, corsOrigins } = this.settings();
    if (allowedHosts !== this.hostsFor) {
      // A reload gave a new list.
      this.hostsFor = allowedHosts;
      this.hostCheck = new HostCheck(this.bindHost, allowedHosts);
    }
    const host = req.headers.host;
    if (!this.hostCheck.allows(host)) {
      return refuse(
        403,
        'host-not-allowed',
        `this monitor does not answer to the host ${JSON.stringify(host ?? '')}; list it in allowedHosts (docs/CONFIG.md)`,
      );
    }
    const method = req.method ?? 'GET';
    const origin = originOf(req, corsOrigins);
    const cors: Record<string, string> =
      origin.kind === 'listed'
        ? { 'access-control-allow-origin': origin.origin, vary: 'origin' }
        : {};

    if (method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      if (origin.kind !== 'listed') {
        return refuse(
          403,
          'origin-not-allowed',
          'cross-origin requests are not allowed from this origin (corsOrigins, docs/CONFIG.md)',
        );
      }
      return {
        kind: 'preflight',
        headers: {
          ...cors,
          'access-control-allow-methods': 'GET, HEAD, POST, DELETE',
          'access-control-allow-headers': 'authorization, content-type, last-event-id',
          'access-control-max-age': '600',
        },
      };
    }

    const access = requiredAccess(method, url.pathname);
    if (access !== 'public' && this.tokens.size > 0) {
      const queryToken =
        url.pathname === QUERY_TOKEN_PATH ? url.searchParams.get('access_token') : null;
      const refusal = tokenRefusal(
        this.tokens.check(req.headers.authorization, queryToken),
        access,
        method,
        url.pathname,
      );
      if (refusal !== undefined) return { ...refusal, headers: { ...refusal.headers, ...cors } };
    }

    if (changesState(method, url.pathname)) {
      if (origin.kind === 'foreign') {
        return refuse(
          403,
          'origin-not-allowed',
          `a page of ${origin.origin} may not change this monitor's state (corsOrigins, docs/CONFIG.md)`,
        );
      }
      if (req.headers.authorization === undefined) {
        if (method === 'GET' || method === 'HEAD') {
          return refuse(
            405,
            'state-change-by-get',
            `GET ${url.pathname} would change state: POST it with content-type: application/json, or send an Authorization: Bearer token`,
            { allow: 'POST', ...cors },
          );
        }
        if (!isJson(req.headers['content-type'])) {
          return refuse(
            415,
            'json-required',
            `${method} ${url.pathname} changes state: send content-type: application/json (or an Authorization: Bearer token)`,
            cors,
          );
        }
      }
    }
    return { kind: 'pass', headers: cors };
  }
}

function refuse(
  status: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): GateVerdict & { kind: 'refuse' } {
  return { kind: 'refuse', problem: { status, reason, message }, headers };
}

/** Why a request's token does not let it in, or undefined when it does. */
function tokenRefusal(
  check: TokenCheck,
  access: Exclude<Access, 'public'>,
  method: string,
  pathname: string,
): (GateVerdict & { kind: 'refuse' }) | undefined {
  switch (check.kind) {
    case 'none':
      return refuse(
        401,
        'missing-token',
        `${method} ${pathname} needs a token with the ${access} scope: send Authorization: Bearer TOKEN`,
        { 'www-authenticate': REALM },
      );
    case 'malformed':
      return refuse(401, 'bad-token', 'the Authorization header is not "Bearer TOKEN"', {
        'www-authenticate': `${REALM}, error="invalid_request"`,
      });
    case 'unknown':
      return refuse(401, 'bad-token', "this token is not one of the monitor's (token file)", {
        'www-authenticate': `${REALM}, error="invalid_token"`,
      });
    case 'token':
      if (check.scopes.includes(access)) return undefined;
      return refuse(
        403,
        'missing-scope',
        `the token ${JSON.stringify(check.name)} has ${check.scopes.join(', ')}; ${method} ${pathname} needs ${access}`,
        { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${access}"` },
      );
  }
}

type OriginKind =
  | { kind: 'none' }
  | { kind: 'same' }
  | { kind: 'listed'; origin: string }
  | { kind: 'foreign'; origin: string };

/** Where the page that sent the request comes from, as far as the monitor is concerned. */
function originOf(req: IncomingMessage, corsOrigins: readonly string[]): OriginKind {
  const origin = req.headers.origin;
  if (origin === undefined) return { kind: 'none' };
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    // `null` (a sandboxed frame, a file://, a redirect) and other junk: foreign.
  }
  if (parsed !== undefined) {
    if (corsOrigins.includes(parsed.origin)) return { kind: 'listed', origin: parsed.origin };
    if (parsed.host.toLowerCase() === (req.headers.host ?? '').toLowerCase())
      return { kind: 'same' };
  }
  return { kind: 'foreign', origin };
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
