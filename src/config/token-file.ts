/**
 * The token file: who may use the monitor's HTTP API, and for what (`--token-file FILE`,
 * `HEARTBEAT_TOKEN_FILE`, `tokenFile`; never a token on the monitor's command line, where `ps`
 * shows it). One token a line, three fields:
 *
 *   # SCOPES          TOKEN                                 NAME
 *   read              sha256:5c1e…(64 hex digits)           grafana
 *   read,write        9Vq3ZKk0yq1m3pHkxYwR5dJb2sT8uLw4      deploy
 *   admin,read,write  sha256:…                              ops
 *
 * - SCOPES: `read`, `write` and `admin`, separated by commas; each is its own (admin does not
 *   imply read): docs/API.md says which endpoint needs which.
 * - TOKEN: the token itself (at least MIN_TOKEN_CHARS of `A-Z a-z 0-9 - . _ ~ + /`, then `=`
 *   padding: what an `Authorization: Bearer` header can carry), or `sha256:` and the 64 hex
 *   digits of its SHA-256 (`printf %s "$TOKEN" | sha256sum`), so the file need not hold it.
 * - NAME: who holds it (letters, digits, `.`, `_`, `-`), unique; said in 403 answers.
 * - `#` starts a comment; blank lines are skipped. An empty file is refused: it would turn
 *   authentication off while the operator believes it on.
 *
 * Only the hashes are kept. The file must be private (src/config/private-file.ts).
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../core/errors.js';
import { MAX_API_TOKENS } from '../core/limits.js';
import { readPrivateFile } from './private-file.js';

/** The environment variable naming the token file when no flag does. */
export const ENV_TOKEN_FILE = 'HEARTBEAT_TOKEN_FILE';

/** What a token may do: read the state, change it, manage keys. */
export type ApiScope = 'read' | 'write' | 'admin';

export const API_SCOPES: readonly ApiScope[] = ['read', 'write', 'admin'];

/** One line of the file: the token's SHA-256, never the token. */
export interface TokenSpec {
  name: string;
  scopes: ApiScope[];
  sha256: Buffer;
}

/** 24 characters of a random base64 or hex token carry 96 bits or more. */
export const MIN_TOKEN_CHARS = 24;

/** The characters of an RFC 6750 bearer token (b64token). */
export const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const HASHED = /^sha256:([0-9a-fA-F]{64})$/;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The SHA-256 of a token as it is sent. */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Reads, checks and parses a token file. Throws ConfigError with one line naming the file. */
export function readTokenFile(file: string): TokenSpec[] {
  return parseTokenFile(readPrivateFile(file, 'token file'), `token file ${file}`);
}

/** Parses the text of a token file (at least one token); `source` names it in errors. */
export function parseTokenFile(text: string, source: string): TokenSpec[] {
  const specs: TokenSpec[] = [];
  const names = new Set<string>();
  const hashes = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fields = (lines[i] as string).replace(/#.*/, '').trim().split(/\s+/);
    if (fields[0] === '') continue;
    const at = `${source} line ${i + 1}`;
    if (fields.length !== 3) {
      throw new ConfigError(
        `${at}: a line is SCOPES TOKEN NAME (e.g. "read,write sha256:… deploy"), got ${fields.length} field${fields.length === 1 ? '' : 's'}`,
      );
    }
    const [scopeText, tokenText, name] = fields as [string, string, string];
    const spec: TokenSpec = {
      name: nameOf(name, at),
      scopes: scopesOf(scopeText, at),
      sha256: hashOf(tokenText, at),
    };
    if (names.has(spec.name)) throw new ConfigError(`${at}: the name ${name} is used twice`);
    const hex = spec.sha256.toString('hex');
    if (hashes.has(hex)) throw new ConfigError(`${at}: this token is listed twice (${name})`);
    names.add(spec.name);
    hashes.add(hex);
    specs.push(spec);
    if (specs.length > MAX_API_TOKENS) {
      throw new ConfigError(`${source} has more than ${MAX_API_TOKENS} tokens`);
    }
  }
  if (specs.length === 0) throw new ConfigError(`${source} holds no token`);
  return specs;
}

function nameOf(text: string, at: string): string {
  if (!NAME.test(text)) {
    throw new ConfigError(
      `${at}: a token's name is 1 to 64 letters, digits, ".", "_" or "-", got ${JSON.stringify(text)}`,
    );
  }
  return text;
}

function scopesOf(text: string, at: string): ApiScope[] {
  const scopes = new Set<ApiScope>();
  for (const word of text.split(',')) {
    if (!(API_SCOPES as readonly string[]).includes(word)) {
      throw new ConfigError(
        `${at}: unknown scope ${JSON.stringify(word)} (scopes are ${API_SCOPES.join(', ')}, separated by commas)`,
      );
    }
    scopes.add(word as ApiScope);
  }
  return [...scopes];
}

function hashOf(text: string, at: string): Buffer {
  const hashed = HASHED.exec(text);
  if (hashed !== null) return Buffer.from(hashed[1] as string, 'hex');
  if (text.startsWith('sha256:')) {
    throw new ConfigError(`${at}: a hashed token is sha256: and 64 hex digits`);
  }
  if (!BEARER_TOKEN.test(text) || text.length < MIN_TOKEN_CHARS) {
    throw new ConfigError(
      `${at}: a token is at least ${MIN_TOKEN_CHARS} characters of A-Z a-z 0-9 - . _ ~ + / (then = padding), or sha256:HEX; make one with: openssl rand -hex 32`,
    );
  }
  return tokenHash(text);
}
