/**
 * The CLI's one argv parser, used by every command: node's own `util.parseArgs` in strict mode
 * (plus flags that take two values, which it cannot read), with its errors turned into one clear
 * line (exit status 2), and the converters for numbers, durations, states and URLs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../config/duration.js';
import { HeartbeatError } from '../core/errors.js';
import { NODE_STATES, type NodeState } from '../membership/types.js';

/** A mistake in how the command was called: one line, exit status 2. */
export class UsageError extends HeartbeatError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** What a command may print: data to `out`, diagnostics to `err`. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** Flags that take two values (`--on dead 'notify.sh'`): name → an example of the two. */
export type PairSpec = Readonly<Record<string, string>>;

export interface Parsed<T> {
  values: T;
  positionals: string[];
  /** Each two-value flag's pairs, in order (absent when the flag was not given). */
  pairs: Record<string, [string, string][]>;
}

/**
 * Parses `argv` against `options` (and the two-value flags of `pairSpec`); unknown flags,
 * missing values and unexpected arguments become a UsageError that names the command's help.
 */
export function parseFlags<T>(
  command: string,
  argv: string[],
  options: FlagSpec,
  pairSpec: PairSpec = {},
): Parsed<T> {
  const { rest, pairs } = takePairs(argv, pairSpec);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options,
      strict: true,
      allowPositionals: true,
    });
    return { values: values as T, positionals, pairs };
  } catch (error) {
    // No "command:" prefix: main puts "heartbeat <command>:" before every error line.
    throw new UsageError(`${describeParseError(error)} (see heartbeat ${command} --help)`);
  }
}

/** Takes every two-value flag of `pairSpec` out of argv, before parseArgs reads the rest. */
function takePairs(
  argv: string[],
  pairSpec: PairSpec,
): { rest: string[]; pairs: Record<string, [string, string][]> } {
  const rest: string[] = [];
  const pairs: Record<string, [string, string][]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const name = arg.slice(2);
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith('--') || !Object.hasOwn(pairSpec, name)) {
      rest.push(arg);
      continue;
    }
    const first = argv[i + 1];
    const second = argv[i + 2];
    if (first === undefined || second === undefined) {
      throw new UsageError(`--${name} needs two values, e.g. --${name} ${pairSpec[name]}`);
    }
    (pairs[name] ??= []).push([first, second]);
    i += 2;
  }
  return { rest, pairs };
}

function describeParseError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const flag = /'(-{1,2}[^' ]+)/.exec(e.message ?? '')?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return flag ? `flag ${flag} needs a value` : (e.message ?? 'bad flag value');
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument`;
    default:
      return e.message?.split('\n')[0] ?? 'bad arguments';
  }
}

/**
 * A whole number in [min, max] from a flag, or a UsageError naming the flag: `--udp-port must be
 * a whole number from 0 to 65535, got "70000"`, or without an upper bound `--seed needs a whole
 * number ≥ 0, got "x"`.
 */
export function intFlag(
  name: string,
  raw: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const expected =
      max === Number.MAX_SAFE_INTEGER
        ? `needs a whole number ≥ ${min}`
        : `must be a whole number from ${min} to ${max}`;
    throw new UsageError(`--${name} ${expected}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** A number in [lo, hi] from a flag, or a UsageError naming the flag. */
export function numberFlag(
  name: string,
  raw: string | undefined,
  lo: number,
  hi: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < lo || n > hi) {
    throw new UsageError(
      `--${name} must be a number from ${lo} to ${hi}, got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

/**
 * A duration flag with its unit (`500ms`, `1.5s`, `2m`, `1h`, `1d`, `2w`; a bare number is refused,
 * see src/config/duration.ts), in milliseconds within [minMs, maxMs], or a UsageError naming the
 * flag.
 */
export function durationFlag(
  name: string,
  raw: string | undefined,
  minMs = 0,
  maxMs = MAX_DURATION_MS,
): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw, `--${name}`);
  if (ms < minMs || ms > maxMs) {
    throw new UsageError(
      `--${name} must be from ${formatDuration(minMs)} to ${formatDuration(maxMs)}, got ${JSON.stringify(raw)}`,
    );
  }
  return ms;
}

/** A node state from a flag (`--state dead`), or a UsageError listing the states. */
export function stateFlag(name: string, raw: string | undefined): NodeState | undefined {
  if (raw === undefined) return undefined;
  if (!(NODE_STATES as readonly string[]).includes(raw)) {
    throw new UsageError(
      `--${name} must be one of ${NODE_STATES.join(', ')}, got ${JSON.stringify(raw)}`,
    );
  }
  return raw as NodeState;
}

/** The base URL of a monitor's HTTP API, from `--url` or HEARTBEAT_URL. */
export function apiUrl(raw: string | undefined, env: NodeJS.ProcessEnv): URL {
  const text = raw ?? env['HEARTBEAT_URL'] ?? 'http://127.0.0.1:8080';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`bad monitor URL ${JSON.stringify(text)}: expected http://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`bad monitor URL ${JSON.stringify(text)}: expected http:// or https://`);
  }
  return url;
}
