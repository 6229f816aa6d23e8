/**
 * The agent as a process (`heartbeat agent`): starts an Agent on the system clock, logs what it
 * does in a few lines, and on SIGINT or SIGTERM sends `leave` to every target, closes, and
 * resolves with exit status 0, so that a service manager's stop is recorded as a graceful
 * departure, not a failure. A second signal while stopping gives up waiting (status 1). With
 * keys, SIGHUP reads them again (a key rotation) and the next message is signed with the new
 * primary; keys that do not load are refused in one line and the old ones stay.
 */
import { SystemClock } from '../core/clock.js';
import { Keyring, type KeySpec } from '../protocol/keyring.js';
import { Agent, type AgentOptions } from './agent.js';

/** The keys an agent process signs with, and how to read them again on SIGHUP. */
export interface AgentKeys {
  /** Where they come from, for log lines (the key file). */
  source: string;
  /** Reads them (again); throws ConfigError. */
  read: () => readonly KeySpec[];
}

/** Signals that mean "stop gracefully". */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Runs an agent until the process is told to stop. Rejects with a ConfigError (before sending
 * anything) when the options are not acceptable.
 */
export async function runAgent(
  options: AgentOptions,
  io: { log: (line: string) => void },
  keys?: AgentKeys,
): Promise<number> {
  const keyring = keys === undefined ? undefined : new Keyring(keys.read());
  const agent = new Agent(
    { clock: new SystemClock(), ...(keyring !== undefined ? { keyring } : {}) },
    options,
  );
  const signing = (): string => {
    const key = keyring?.signingKey(options.nodeId);
    return key === undefined ? '' : `, signing with key ${key.id} of ${keys?.source}`;
  };
  const reload = (): void => {
    if (keyring === undefined || keys === undefined) return;
    try {
      const specs = keys.read();
      if (new Keyring(specs).signingKey(options.nodeId) === undefined) {
        throw new Error(`no primary key for node ${JSON.stringify(options.nodeId)}`);
      }
      keyring.replace(specs);
      io.log(`SIGHUP: keys read again${signing()}`);
    } catch (error) {
      io.log(`SIGHUP: keys refused, the old ones stay: ${(error as Error).message}`);
    }
  };
  // Without keys SIGHUP keeps its default (the process ends), as before keys existed.
  if (keys !== undefined) process.on('SIGHUP', reload);

  // One line per change of a target's health, not one per failed heartbeat.
  const failing = new Map<string, string>();
  agent.on('error', (event) => {
    const key = event.target ?? event.provider ?? 'agent';
    const text = event.error.message;
    if (failing.get(key) === text) return;
    failing.set(key, text);
    io.log(`error: ${text}`);
  });
  agent.on('sent', (event) => {
    if (!failing.has(event.target)) return;
    failing.delete(event.target);
    io.log(`${event.target}: sending again`);
  });

  const signals = listenForSignals();
  try {
    agent.start();
    io.log(
      `agent ${options.nodeId} (incarnation ${agent.incarnation}) sending every ${agent.intervalMs} ms to ${options.targets.join(', ')}${signing()}`,
    );
    const signal = await signals.next();
    io.log(`${signal}: sending leave and stopping`);
    const stopped = agent.stop({ leave: true }).then(() => 'stopped' as const);
    const outcome = await Promise.race([stopped, signals.next()]);
    if (outcome !== 'stopped') {
      io.log(`${outcome} again: not waiting for the monitors any longer`);
      return 1;
    }
    const stats = agent.stats();
    io.log(`stopped after ${stats.messages} messages (last seq ${stats.seq})`);
    return 0;
  } finally {
    signals.dispose();
    process.off('SIGHUP', reload);
  }
}

/** The stop signals as a queue: each `next()` resolves with the next one received. */
function listenForSignals(): { next(): Promise<NodeJS.Signals>; dispose(): void } {
  const received: NodeJS.Signals[] = [];
  let wake: ((signal: NodeJS.Signals) => void) | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (wake !== undefined) {
      const resolve = wake;
      wake = undefined;
      resolve(signal);
    } else {
      received.push(signal);
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    next: () => {
      const early = received.shift();
      if (early !== undefined) return Promise.resolve(early);
      return new Promise((resolve) => (wake = resolve));
    },
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, handler);
    },
  };
}
