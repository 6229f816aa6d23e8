import { ConfigError } from '../core/errors.js';

/**
 * Field checks for scenario files: each failure is a ConfigError naming the file and the field
 * path (`lan.json: scenario.delay.alpha must be a positive number, got -1`).
 */
export type NumberRule = 'positive' | 'non-negative' | 'any' | 'probability' | 'positive-integer';

const RULE_TEXT: Record<NumberRule, string> = {
  positive: 'a positive number',
  'non-negative': 'a number ≥ 0',
  any: 'a number',
  probability: 'a probability between 0 and 1',
  'positive-integer': 'a positive integer',
};

export class Fields {
  constructor(private readonly source: string) {}

  fail(path: string, problem: string, value?: unknown): never {
    const got = arguments.length > 2 ? `, got ${show(value)}` : '';
    throw new ConfigError(`${this.source}: ${path} ${problem}${got}`);
  }

  /** Re-throws another component's ConfigError with this file's name in front. */
  rethrow(error: ConfigError): never {
    throw new ConfigError(`${this.source}: ${error.message}`, { cause: error });
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'must be an object', value);
    }
    return value as Record<string, unknown>;
  }

  /** Rejects keys that are not listed: a typo must not silently fall back to a default. */
  onlyKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail(`${path}.${key}`, `is not a known field (expected one of ${allowed.join(', ')})`);
      }
    }
  }

  /** A required number (or `fallback` when the field is absent). */
  number(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    rule: NumberRule,
    fallback?: number,
  ): number {
    const value = this.optionalNumber(obj, key, path, rule);
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback;
    return this.fail(`${path}.${key}`, 'is required');
  }

  /** A number that may be absent. */
  optionalNumber(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    rule: NumberRule,
  ): number | undefined {
    const value = obj[key];
    const where = `${path}.${key}`;
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value))
      this.fail(where, 'must be a number', value);
    const ok =
      rule === 'any' ||
      (rule === 'positive' && value > 0) ||
      (rule === 'non-negative' && value >= 0) ||
      (rule === 'probability' && value >= 0 && value <= 1) ||
      (rule === 'positive-integer' && Number.isInteger(value) && value > 0);
    if (!ok) this.fail(where, `must be ${RULE_TEXT[rule]}`, value);
    return value;
  }

  string(obj: Record<string, unknown>, key: string, path: string, fallback?: string): string {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value === '')
      this.fail(`${path}.${key}`, 'must be a non-empty string', value);
    return value;
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
