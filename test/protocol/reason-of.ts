/** The DecodeError reason a decoder call throws, for the protocol tests' tables. */
import { expect } from 'vitest';
import { DecodeError, type DecodeErrorReason } from '../../src/core/errors.js';

/** Runs `fn` and returns the DecodeError reason it threw (fails if it threw anything else). */
export function reasonOf(fn: () => unknown): DecodeErrorReason | 'no error' {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return (err as DecodeError).reason;
  }
  return 'no error';
}
