import { describe, expect, it } from 'vitest';
import {
  AddressInUseError,
  AddressNotAvailableError,
  ConfigError,
  DecodeError,
  EncodeError,
  FileOpenError,
  HeartbeatError,
  LimitError,
  OptionalDependencyError,
  StateError,
  StoreLockedError,
  StoreOpenError,
  TraceFormatError,
  UnknownNodeError,
} from '../../src/core/errors.js';
import { EXIT, exitCodeFor } from '../../src/cli/exit-codes.js';
import { UsageError } from '../../src/cli/usage.js';

describe('exitCodeFor', () => {
  it.each([
    ['UsageError', new UsageError('--port needs a value'), EXIT.usage],
    ['ConfigError', new ConfigError('bad'), EXIT.usage],
    ['AddressInUseError', new AddressInUseError(4100, 'udp'), EXIT.usage],
    ['AddressNotAvailableError', new AddressNotAvailableError('10.9.9.9'), EXIT.usage],
    ['StoreOpenError', new StoreOpenError('h.db', 'cannot open'), EXIT.usage],
    ['StoreLockedError', new StoreLockedError('h.db', 'held'), EXIT.usage],
    ['FileOpenError', new FileOpenError('t.txt', 't.txt: cannot open trace (ENOENT)'), EXIT.usage],
    ['TraceFormatError', new TraceFormatError('t.txt', 3, 'not a number'), EXIT.usage],
    ['DecodeError', new DecodeError('bad-json', 'not JSON'), EXIT.usage],
    ['UnknownNodeError', new UnknownNodeError('db-9'), EXIT.usage],
    ['StateError', new StateError('agent', 'stopped', 'start again'), EXIT.failed],
    ['LimitError', new LimitError('MAX_NODES', 'full'), EXIT.failed],
    ['EncodeError', new EncodeError('cannot encode message'), EXIT.failed],
    ['OptionalDependencyError', new OptionalDependencyError('x', 'for y'), EXIT.failed],
    ['HeartbeatError', new HeartbeatError('other', 'other'), EXIT.failed],
    ['Error', new Error('bug'), EXIT.failed],
    ['a string', 'thrown text', EXIT.failed],
  ])('%s → %i', (_name, error, status) => {
    expect(exitCodeFor(error)).toBe(status);
  });

  it('TraceFormatError names the file and line in one line', () => {
    expect(new TraceFormatError('t.txt', 3, 'not a number').message).toBe('t.txt:3: not a number');
    expect(new TraceFormatError('dir', undefined, 'no trace files').message).toBe(
      'dir: no trace files',
    );
  });
});
