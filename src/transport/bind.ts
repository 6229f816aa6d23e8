/**
 * Waiting for a socket or server to bind, the same way for every listener: resolve once it
 * listens, or close it and reject with what the failure means (bindError: a port in use, an
 * address not of this machine). After binding, the caller installs its own error handler.
 */
import { bindError } from '../core/bind-error.js';

/** What both a dgram.Socket and a net.Server offer for binding. */
interface Bindable {
  once(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  off(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  close(): unknown;
}

/**
 * Calls `listen(done)` (e.g. `(done) => socket.bind(port, host, done)`) and resolves when `done`
 * is called; the first `error` before it closes `handle` and rejects with bindError's error for
 * `host`:`port` and `what` (`udp`, `tcp`).
 */
export function bindOrFail(
  handle: Bindable,
  listen: (done: () => void) => void,
  where: { host: string; port: number; what: string },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      handle.close();
      reject(bindError(error, where.host, where.port, where.what));
    };
    handle.once('error', onError);
    listen(() => {
      handle.off('error', onError);
      resolve();
    });
  });
}
