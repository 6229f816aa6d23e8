/**
 * What a failed bind means, as one of our error classes: a port another process holds
 * (AddressInUseError) or an address that is not this machine's (AddressNotAvailableError). The
 * UDP and TCP listeners and the HTTP API all bind through this, so they fail alike.
 */
import { AddressInUseError, AddressNotAvailableError } from './errors.js';

/** The error to reject `start()` with when binding `host`:`port` for `what` failed with `error`. */
export function bindError(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
  what: string,
): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new AddressInUseError(port, what, { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new AddressNotAvailableError(host, { cause: error });
    default:
      return error;
  }
}
