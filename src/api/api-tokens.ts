/**
 * The API's tokens in force (from the token file, src/config/token-file.ts): which one a request
 * presents, checked in constant time. The presented token is hashed (SHA-256) and its hash
 * compared with every listed hash by crypto.timingSafeEqual, all of them each time, so neither
 * the answer's timing nor an early stop tells how much of a guess was right. No tokens listed:
 * the API is open (the monitor warns when that is so on an address others can reach).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiScope, TokenSpec } from '../config/token-file.js';

/** What a request's credentials come to. */
export type TokenCheck =
  | { kind: 'none' }
  | { kind: 'malformed' }
  | { kind: 'unknown' }
  | { kind: 'token'; name: string; scopes: readonly ApiScope[] };

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

export class ApiTokens {
  private specs: readonly TokenSpec[];

  constructor(specs: readonly TokenSpec[] = []) {
    this.specs = specs;
  }

  /** Puts a new set in force (SIGHUP); requests after this are checked against it. */
  replace(specs: readonly TokenSpec[]): void {
    this.specs = specs;
  }

  /** True when `specs` are the tokens in force (the same names, scopes and hashes, in order). */
  sameAs(specs: readonly TokenSpec[]): boolean {
    const key = (list: readonly TokenSpec[]) =>
      list.map((t) => `${t.name} ${t.scopes.join(',')} ${t.sha256.toString('hex')}`).join('\n');
    return key(specs) === key(this.specs);
  }

  /** Tokens in force; 0 means the API asks for none. */
  get size(): number {
    return this.specs.length;
  }

  /** The tokens' names and scopes, for the monitor's start line (never a hash). */
  describe(): { name: string; scopes: readonly ApiScope[] }[] {
    return this.specs.map(({ name, scopes }) => ({ name, scopes }));
  }

  /**
   * The token an `Authorization: Bearer …` header (or, where the caller allows it, a query's
   * `access_token`) presents.
   */
  check(authorization: string | undefined, queryToken: string | null = null): TokenCheck {
    let token: string;
    if (authorization !== undefined) {
      const match = BEARER.exec(authorization);
      if (match === null) return { kind: 'malformed' };
      token = match[1] as string;
    } else if (queryToken !== null) {
      token = queryToken;
    } else {
      return { kind: 'none' };
    }
    // The hash the token file keeps (config/token-file.ts): SHA-256 of the token's UTF-8.
    const hash = createHash('sha256').update(token, 'utf8').digest();
    let found: TokenSpec | undefined;
    for (const spec of this.specs) {
      // No early exit: every listed hash is compared.
      if (timingSafeEqual(spec.sha256, hash) && found === undefined) found = spec;
    }
    return found === undefined
      ? { kind: 'unknown' }
      : { kind: 'token', name: found.name, scopes: found.scopes };
  }
}
