/**
 * Which `Host` a request may name: the defence against DNS rebinding, where a page of the
 * attacker's site has its own name resolve to the monitor's address (127.0.0.1, or a private one
 * the browser reaches) and then reads the API as its own origin. Such a request names the
 * attacker's host, so it is refused (403 `host-not-allowed`). Taken by default:
 *
 * - an IP address (`127.0.0.1`, `[::1]`, `10.0.0.5`): an address is not a name anyone can rebind;
 * - `localhost` and names under `.localhost` (they resolve to loopback, RFC 6761);
 * - the bound host when it is a name, and this machine's host name (full and first label);
 * - the names in `allowedHosts` (docs/CONFIG.md): exact, or `.example.com` for it and every name
 *   under it, or `*` for any (the check off, e.g. behind a proxy that checks names itself).
 *
 * Names are compared without case, port or trailing dot. A request with no Host is refused.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export class HostCheck {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly any: boolean;

  constructor(bindHost: string, allowedHosts: readonly string[] = []) {
    const machine = hostname().toLowerCase();
    for (const name of [bindHost, machine, machine.split('.')[0] ?? '', 'localhost']) {
      if (name !== '') this.exact.add(normalise(name));
    }
    this.suffixes.push('.localhost');
    this.any = allowedHosts.includes('*');
    for (const entry of allowedHosts) {
      const name = normalise(entry);
      if (name.startsWith('.')) {
        this.suffixes.push(name);
        this.exact.add(name.slice(1));
      } else {
        this.exact.add(name);
      }
    }
  }

  /** True when a request naming `host` (its Host header, with any port) may be answered. */
  allows(host: string | undefined): boolean {
    if (host === undefined || host === '') return false;
    if (this.any) return true;
    const name = normalise(stripPort(host));
    if (isIP(name) !== 0) return true;
    return this.exact.has(name) || this.suffixes.some((suffix) => name.endsWith(suffix));
  }
}

/** `[::1]:8080` → `::1`, `example.com:8080` → `example.com`. */
function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
