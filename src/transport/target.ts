/**
 * Where an agent sends its heartbeats: one monitor address, parsed from a URL once at start-up so
 * that a typo fails loudly with one clear line instead of as a stream of send errors later.
 *
 * - `udp://host:port`: binary v1 datagrams, fire and forget (the cheapest, and the default choice
 *   on a LAN);
 * - `tcp://host:port`: binary v1 frames over one long-lived connection (through firewalls that
 *   drop UDP);
 * - `http://host[:port][/base]` and `https://…`: `POST {base}/v1/heartbeat` with the JSON
 *   message (through proxies and load balancers).
 */
import { ConfigError } from '../core/errors.js';

export type TargetKind = 'udp' | 'tcp' | 'http';

/** A socket address: UDP and TCP targets. */
export interface SocketTarget {
  kind: 'udp' | 'tcp';
  /** The URL as given, for logs and events. */
  url: string;
  /** Host name or IP address; IPv6 without brackets (`::1`). */
  host: string;
  port: number;
}

/** An HTTP(S) monitor: heartbeats are POSTed to `heartbeatUrl`. */
export interface HttpTarget {
  kind: 'http';
  url: string;
  /** The full address heartbeats are POSTed to: the base URL plus `/v1/heartbeat`. */
  heartbeatUrl: string;
  host: string;
  port: number;
  secure: boolean;
}

export type Target = SocketTarget | HttpTarget;

/** The path heartbeats are POSTed to, below the base path of an HTTP target. */
export const HTTP_HEARTBEAT_PATH = '/v1/heartbeat';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/s;
const PORT = /^[0-9]{1,5}$/;
/** A host name or IPv4 address: letters, digits, dots, hyphens, underscores. */
const HOST_NAME = /^[a-zA-Z0-9_](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$/;
/** An IPv6 literal between brackets (zone ids allowed: `fe80::1%eth0`). */
const HOST_IPV6 = /^\[([0-9a-fA-F:.]+(?:%[a-zA-Z0-9_.-]+)?)\]$/;

/**
 * Parses a monitor URL. Throws a `ConfigError` whose message is one line naming the URL and what
 * is wrong with it (`bad monitor URL "udp://x": needs a port`).
 */
export function parseTarget(url: string): Target {
  if (typeof url !== 'string' || url.trim() === '') bad(url, 'empty');
  if (/[\s\p{Cc}]/u.test(url)) bad(url, 'contains whitespace or control characters');
  const match = SCHEME.exec(url);
  if (match === null) return bad(url, 'needs a scheme: udp://, tcp://, http:// or https://');
  const scheme = (match[1] as string).toLowerCase();
  const rest = match[2] as string;
  switch (scheme) {
    case 'udp':
    case 'tcp':
      return parseSocketTarget(url, scheme, rest);
    case 'http':
    case 'https':
      return parseHttpTarget(url, scheme === 'https', rest);
    default:
      return bad(url, `unknown scheme "${scheme}:" (use udp://, tcp://, http:// or https://)`);
  }
}

function bad(url: string, why: string): never {
  throw new ConfigError(`bad monitor URL ${JSON.stringify(url)}: ${why}`);
}

function parseSocketTarget(url: string, kind: 'udp' | 'tcp', rest: string): SocketTarget {
  // A trailing slash is harmless (`udp://host:9000/`); any other path, query or fragment is a
  // sign of a mistyped URL, so refuse it rather than ignore it.
  const authority = rest.endsWith('/') ? rest.slice(0, -1) : rest;
  if (/[/?#]/.test(authority)) bad(url, `a ${kind} URL takes no path, query or fragment`);
  if (authority.includes('@')) bad(url, 'takes no user name or password');
  const { host, port } = splitHostPort(url, authority);
  if (port === undefined) return bad(url, 'needs a port');
  return { kind, url, host, port };
}

function parseHttpTarget(url: string, secure: boolean, rest: string): HttpTarget {
  const authority = rest.split(/[/?#]/, 1)[0] as string;
  if (authority.includes('@')) bad(url, 'takes no user name or password');
  // Check host and port as written: the URL parser drops a default port (":80") and its own
  // errors would not say what is wrong.
  const { port } = splitHostPort(url, authority);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return bad(url, 'not a valid URL');
  }
  if (parsed.search !== '' || parsed.hash !== '') bad(url, 'takes no query or fragment');
  const base = parsed.pathname.replace(/\/+$/, '');
  return {
    kind: 'http',
    url,
    heartbeatUrl: `${parsed.protocol}//${parsed.host}${base}${HTTP_HEARTBEAT_PATH}`,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: port ?? (secure ? 443 : 80),
    secure,
  };
}

/** Splits `host:port`, `[v6]:port`, `host` or `[v6]`; the port is undefined when absent. */
function splitHostPort(url: string, authority: string): { host: string; port: number | undefined } {
  let hostPart: string;
  let portPart: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) bad(url, 'unclosed "[" in an IPv6 address');
    hostPart = authority.slice(0, close + 1);
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) bad(url, 'unexpected text after the IPv6 address');
    portPart = after === '' ? undefined : after.slice(1);
  } else {
    const colons = authority.split(':').length - 1;
    if (colons > 1) bad(url, 'an IPv6 address needs brackets: [::1]:9000');
    const colon = authority.indexOf(':');
    hostPart = colon < 0 ? authority : authority.slice(0, colon);
    portPart = colon < 0 ? undefined : authority.slice(colon + 1);
  }
  if (hostPart === '') bad(url, 'needs a host');
  let host: string;
  const v6 = HOST_IPV6.exec(hostPart);
  if (v6 !== null) host = v6[1] as string;
  else if (HOST_NAME.test(hostPart)) host = hostPart;
  else return bad(url, `bad host "${hostPart}"`);
  return { host, port: portPart === undefined ? undefined : checkPort(url, portPart) };
}

function checkPort(url: string, text: string): number {
  if (text === '') bad(url, 'needs a port');
  if (!PORT.test(text)) bad(url, `bad port "${text}"`);
  const port = Number(text);
  if (port < 1 || port > 65535) bad(url, `port ${port} is out of range 1-65535`);
  return port;
}
