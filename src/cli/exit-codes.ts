/**
 * The CLI's exit statuses, and the one place an error class is turned into one (README's
 * "Exit status" lists them): library code throws a class per failure and never picks a status.
 */
import {
  AddressInUseError,
  AddressNotAvailableError,
  ConfigError,
  DecodeError,
  FileOpenError,
  StoreLockedError,
  StoreOpenError,
  TraceFormatError,
  UnknownNodeError,
} from '../core/errors.js';
import { ApiAuthError } from './api-client.js';
import { UsageError } from './usage.js';

export const EXIT = {
  /** Done; for `status`, every node asked about is healthy. */
  ok: 0,
  /** `status`: a node is not healthy; any other command: it failed while running. */
  failed: 1,
  /**
   * Bad usage, configuration or input: a flag, a file, a port or address, a history file, a
   * token the monitor refuses.
   */
  usage: 2,
  /** `status`: the monitor could not be asked (not reachable, timed out, or answered 5xx). */
  unreachable: 3,
} as const;

/**
 * The failures that are the operator's to fix before the command can run: how it was called,
 * what it was configured with, where it was told to listen or keep its history, the files and
 * the input it was given (a file that cannot be opened, a trace or recording that cannot be
 * read, a message that cannot be decoded, a node id the monitor does not know, a token the
 * monitor refuses).
 */
const USAGE_ERRORS = [
  UsageError,
  ConfigError,
  AddressInUseError,
  AddressNotAvailableError,
  StoreOpenError,
  StoreLockedError,
  FileOpenError,
  TraceFormatError,
  DecodeError,
  UnknownNodeError,
  ApiAuthError,
];

/**
 * Exit status for an error a command threw: 2 for the operator's mistakes, 1 for the rest: a
 * StateError (a component used out of its lifecycle: a bug), a LimitError (a limit reached while
 * running), an EncodeError (a message the command built cannot be sent), an
 * OptionalDependencyError, and anything that is not a HeartbeatError.
 */
export function exitCodeFor(error: unknown): number {
  return USAGE_ERRORS.some((type) => error instanceof type) ? EXIT.usage : EXIT.failed;
}
