/**
 * Checks for single configuration values. Each takes plain data (from JSON, YAML, an
 * environment variable or a flag) and the field's name as the operator wrote it, and returns the
 * value or throws a FieldProblem whose message reads "udpPort must be an integer 0–65535, got
 * "x"". load.ts prefixes the source ("config file ./hb.yaml: …") to make a ConfigError.
 */
import { ConfigError } from '../core/errors.js';
import { parseDetectorSpec } from '../detectors/registry.js';
import type { DetectorSpec } from '../detectors/spec.js';
import { MAX_DURATION_MS } from './duration.js';

/** A bad value; the message names the field but not the source. */
export class FieldProblem extends Error {}

/** Words that turn a port or a path off, for the environment and YAML (`udpPort: off`). */
const OFF_WORDS = new Set(['off', 'none', 'null', 'disabled', 'false']);

export function fail(label: string, expectation: string, value: unknown): never {
  throw new FieldProblem(`${label} must be ${expectation}, got ${show(value)}`);
}

/** A value as the operator would recognise it, short enough for one line. */
export function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    text = String(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOff(value: unknown): boolean {
  return value === null || (typeof value === 'string' && OFF_WORDS.has(value.trim().toLowerCase()));
}

/** A number, or a string holding only a decimal number (environment variables, flags). */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** A port 0–65535 (0 picks a free one), or null to disable the listener. */
export function port(value: unknown, label: string): number | null {
  if (isOff(value)) return null;
  const n = numeric(value);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 65535) {
    fail(label, 'an integer 0–65535', value);
  }
  return n;
}

/** Milliseconds within [minMs, MAX_DURATION_MS]. */
export function durationMs(value: unknown, label: string, minMs: number): number {
  const n = numeric(value);
  if (n === undefined || !Number.isFinite(n) || n < minMs || n > MAX_DURATION_MS) {
    fail(label, `a number of milliseconds from ${minMs} to ${MAX_DURATION_MS}`, value);
  }
  return n;
}

export function nonEmptyString(value: unknown, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(label, 'a non-empty string', value);
  return value;
}

/** A host name or IP address to bind to. */
export function host(value: unknown, label: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9.:_%[\]-]+$/.test(value)) {
    fail(label, 'a host name or IP address', value);
  }
  return value;
}

/** true or false; from the environment also `1`/`0`, `yes`/`no`, `on`/`off`. */
export function boolean(value: unknown, label: string): boolean {
  if (typeof value === 'boolean') return value;
  const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (['true', '1', 'yes', 'on'].includes(word)) return true;
  if (['false', '0', 'no', 'off'].includes(word)) return false;
  fail(label, 'true or false', value);
}

/** Host names: `monitor.example.com`, `.example.com` (it and every name under it), or `*`. */
export function hostPatterns(value: unknown, label: string): string[] {
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter((h) => h !== '') : value;
  return stringList(list, label).map((name, i) => {
    if (name !== '*' && !/^\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(name)) {
      fail(`${label}[${i}]`, 'a host name, .domain for every name under it, or *', name);
    }
    return name.toLowerCase();
  });
}

/** Web origins, `scheme://host[:port]` with nothing after, as a browser sends them. */
export function origins(value: unknown, label: string): string[] {
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter((o) => o !== '') : value;
  return stringList(list, label).map((text, i) => {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      // reported below
    }
    if (
      url === undefined ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      text.replace(/\/$/, '') !== url.origin
    ) {
      fail(
        `${label}[${i}]`,
        'an origin like https://ops.example.com (no path; * is not taken)',
        text,
      );
    }
    return url.origin;
  });
}

/** A file path, or null (also `off`) for none. */
export function optionalPath(value: unknown, label: string): string | null {
  if (isOff(value) || value === '') return null;
  return nonEmptyString(value, label);
}

export function oneOf<T extends string>(value: unknown, label: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    fail(label, `one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

export function stringList(value: unknown, label: string): string[] {
  if (!Array.isArray(value)) fail(label, 'a list of strings', value);
  return value.map((item, i) => nonEmptyString(item, `${label}[${i}]`));
}

/** An http:// or https:// URL. */
export function httpUrl(value: unknown, label: string): string {
  const text = nonEmptyString(value, label);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    fail(label, 'an http:// or https:// URL', value);
  }
  return text;
}

/**
 * Cloud metadata services and link-local addresses: a webhook there would hand the monitor's
 * transitions (and its credentials' reach) to the host's metadata endpoint. Refused unless the
 * host is in `actions.webhookAllow`.
 */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

/** Why a webhook URL's host is refused by default, or undefined when it is not. */
export function forbiddenWebhookHost(url: string): string | undefined {
  const host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (METADATA_HOSTS.has(host)) return 'a cloud metadata service';
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(host)) return 'a link-local address (169.254.0.0/16)';
  if (/^fe[89ab][0-9a-f]:/.test(host)) return 'a link-local address (fe80::/10)';
  if (host === 'fd00:ec2::254') return 'a cloud metadata service';
  return undefined;
}

/**
 * A detector: an object with a `kind`, a kind name alone (`phi-accrual`), or a JSON object in a
 * string (environment variables and flags).
 */
export function detector(value: unknown, label: string): DetectorSpec {
  let input = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{')) {
      try {
        input = JSON.parse(text) as unknown;
      } catch (error) {
        throw new FieldProblem(
          `${label} is not valid JSON (${firstLine(error)}), got ${show(value)}`,
        );
      }
    } else {
      input = { kind: text };
    }
  }
  return detectorSpec(input, label);
}

/** The detector registry's checks (kind and every option), its message under our label. */
function detectorSpec(input: unknown, label: string): DetectorSpec {
  try {
    return parseDetectorSpec(input, label);
  } catch (error) {
    if (error instanceof ConfigError) throw new FieldProblem(error.message);
    throw error;
  }
}

/** Throws for keys of `record` not in `known`, suggesting the closest known one. */
export function noUnknownKeys(
  record: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
): void {
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    throw new FieldProblem(
      `unknown field ${JSON.stringify(prefix + key)}${near !== undefined ? ` (did you mean "${prefix}${near}"?)` : ''}`,
    );
  }
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() ?? '';
}

/** The known word within edit distance 2 (or equal ignoring case and separators), if any. */
function closest(word: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = squash(candidate) === squash(word) ? 0 : editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
