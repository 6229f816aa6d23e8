/**
 * Durations as an operator types them on the command line: a number and a unit, `500ms`, `1.5s`,
 * `2m`, `1h`, `1d`, `2w`. A bare number is refused: `--dead-after 10` could mean 10 ms or 10 s,
 * and guessing wrong makes a monitor that convicts everyone (or no one). Configuration files and
 * environment variables keep plain numbers of milliseconds, which their names say (`deadAfterMs`,
 * `HEARTBEAT_DEAD_AFTER_MS`; docs/CONFIG.md).
 */
import { ConfigError } from '../core/errors.js';

/** Longest duration any timing field accepts: a day; anything longer is a typo (seconds × 1000 twice). */
export const MAX_DURATION_MS = 86_400_000;

/** Milliseconds in one of each unit. */
export const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const FORM = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/;

/**
 * The milliseconds `text` stands for, or a ConfigError naming `label` (exit status 2 in the CLI):
 * `--dead-after: "10" needs a unit, e.g. 10s or 10ms`.
 */
export function parseDuration(text: string, label: string): number {
  const m = FORM.exec(text);
  const number = m?.[1] ?? '';
  const unit = m?.[2] ?? '';
  if (m !== null && unit === '') {
    throw new ConfigError(
      `${label}: ${JSON.stringify(text)} needs a unit, e.g. ${number}s or ${number}ms`,
    );
  }
  if (m === null || !Object.hasOwn(DURATION_UNITS, unit)) {
    throw new ConfigError(
      `${label} must be a duration like 500ms, 1.5s, 2m, 1h or 1d, got ${JSON.stringify(text)}`,
    );
  }
  return Number(number) * (DURATION_UNITS[unit] as number);
}

/** A duration in the largest unit that writes it whole: 86400000 → `1d`, 1500 → `1500ms`. */
export function formatDuration(ms: number): string {
  const units = Object.entries(DURATION_UNITS).sort(([, a], [, b]) => b - a);
  for (const [unit, factor] of units) {
    if (ms !== 0 && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}
