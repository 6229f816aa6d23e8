/**
 * Query parameters of the HTTP API, read one way everywhere: an absent or empty parameter is
 * undefined, a bad one is a DecodeError `bad-field` (400) naming the parameter and what it takes.
 */
import { DecodeError } from '../core/errors.js';
import { NODE_STATES, type NodeState } from '../membership/types.js';

/** A text parameter, or undefined when absent or empty. */
export function optionalText(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}

/** A node state (`unknown`, `alive`, `suspect`, `dead`, `left`). */
export function optionalState(value: string | null): NodeState | undefined {
  if (value === null || value === '') return undefined;
  if (!(NODE_STATES as readonly string[]).includes(value)) {
    throw new DecodeError('bad-field', `state must be one of ${NODE_STATES.join(', ')}`);
  }
  return value as NodeState;
}

/** An integer parameter in [min, max]. */
export function optionalInt(
  value: string | null,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new DecodeError('bad-field', `${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}
