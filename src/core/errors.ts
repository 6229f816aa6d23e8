/**
 * One error class per kind of failure. Callers branch on the class (or `code`), never on the
 * message text. Every class carries a machine-readable `code` and a human-readable message.
 */
export class HeartbeatError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A wire message could not be decoded; `reason` names what was wrong (counted by reason).
 * It carries no stack trace: it is thrown for every bad datagram a peer sends, where capturing a
 * stack would cost more than the decoding (tens of µs), and the reason and message say it all.
 */
export class DecodeError extends HeartbeatError {
  readonly reason: DecodeErrorReason;

  constructor(reason: DecodeErrorReason, message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`decode:${reason}`, message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.reason = reason;
  }
}

export type DecodeErrorReason =
  | 'too-short'
  | 'too-long'
  | 'bad-magic'
  | 'bad-version'
  | 'bad-type'
  | 'bad-node-id'
  | 'bad-field'
  | 'bad-payload'
  | 'bad-json'
  | 'bad-text'
  /** An authenticated frame whose MAC is not right under the key it names. */
  | 'bad-mac'
  /** An authenticated frame under a key id the receiver does not hold for its node. */
  | 'unknown-key';

/**
 * A message cannot be encoded: a field the wire format refuses (a node id the protocol does not
 * allow, a number out of range, a payload over its limit). Senders count it as a failed send.
 */
export class EncodeError extends HeartbeatError {
  constructor(message: string) {
    super('encode', message);
  }
}

/** A configuration value, option or CLI flag is not acceptable. */
export class ConfigError extends HeartbeatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

/** A limit from `limits.ts` would be exceeded (too many nodes, queue full, …). */
export class LimitError extends HeartbeatError {
  constructor(
    readonly limit: string,
    message: string,
  ) {
    super(`limit:${limit}`, message);
  }
}

/** A node id that the node table does not know. */
export class UnknownNodeError extends HeartbeatError {
  constructor(readonly nodeId: string) {
    super('unknown-node', `no node with id ${JSON.stringify(nodeId)}`);
  }
}

/** A port a listener or the API was to bind is taken by another process. */
export class AddressInUseError extends HeartbeatError {
  constructor(
    readonly port: number,
    /** What was to bind it: `udp`, `tcp`, `tcp (http)`, … */
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super('address-in-use', `port ${port}/${what} is in use`, options);
  }
}

/** The address to bind is not one of this machine's (EADDRNOTAVAIL) or cannot be resolved. */
export class AddressNotAvailableError extends HeartbeatError {
  constructor(
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    super('address-not-available', `cannot bind ${host}: not an address of this machine`, options);
  }
}

/** The history store could not be opened (permissions, a corrupt file, a full disk, …). */
export class StoreOpenError extends HeartbeatError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('store-open', message, options);
  }
}

/**
 * A file a command was told to read or write (a trace, a scenario, the arrival recording) could
 * not be opened or read: missing, no permission, a directory, a disk error.
 */
export class FileOpenError extends HeartbeatError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('file-open', message, options);
  }
}

/**
 * A trace or arrival recording holds what it cannot be read as: a bad line, an unknown format, a
 * line too long, no trace at all. The message is one line, `file:line: what is wrong`.
 */
export class TraceFormatError extends HeartbeatError {
  constructor(
    readonly path: string,
    /** The line at fault (1-based); undefined when the file as a whole is. */
    readonly line: number | undefined,
    problem: string,
  ) {
    super(
      'trace-format',
      line === undefined ? `${path}: ${problem}` : `${path}:${line}: ${problem}`,
    );
  }
}

/** Another monitor process holds the history store: one writer per store. */
export class StoreLockedError extends HeartbeatError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('store-locked', message, options);
  }
}

/** A component was used in a lifecycle state that does not allow it (start twice, use after stop). */
export class StateError extends HeartbeatError {
  constructor(
    readonly component: string,
    readonly state: string,
    action: string,
  ) {
    super('state', `${component} cannot ${action}: it is ${state}`);
  }
}

/** An optional dependency that a feature needs is not installed (resvg for PNG charts). */
export class OptionalDependencyError extends HeartbeatError {
  constructor(
    readonly packageName: string,
    purpose: string,
    options?: { cause?: unknown },
  ) {
    super(
      'optional-dependency',
      `the optional package ${packageName} is needed ${purpose}: npm install ${packageName}`,
      options,
    );
  }
}
