/**
 * Waiting for a stop signal. Listening starts when `listenForSignal` is called, so a command
 * listens before it prints that it is ready: a supervisor may send SIGTERM the moment it reads
 * that line, and a signal nobody listens for kills the process without a clean stop.
 */
export interface SignalListener {
  /** Resolves with the first of the signals received. */
  received: Promise<NodeJS.Signals>;
  /** Stops listening (the promise then never resolves). */
  dispose(): void;
}

export function listenForSignal(signals: NodeJS.Signals[]): SignalListener {
  let handler: (signal: NodeJS.Signals) => void = () => {};
  const dispose = () => {
    for (const s of signals) process.off(s, handler);
  };
  const received = new Promise<NodeJS.Signals>((resolve) => {
    handler = (signal) => {
      dispose();
      resolve(signal);
    };
  });
  for (const s of signals) process.on(s, handler);
  return { received, dispose };
}

/**
 * Calls `fn` on every `signal` (SIGHUP: reload) until the returned function is called; a
 * process that listens does not die of it.
 */
export function onEverySignal(signal: NodeJS.Signals, fn: () => void): () => void {
  process.on(signal, fn);
  return () => process.off(signal, fn);
}
