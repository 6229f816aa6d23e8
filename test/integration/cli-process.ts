/**
 * Runs the real `heartbeat` CLI in a child process — the built one, `node bin/heartbeat.js`, as
 * users run it (built-cli.ts builds it before these tests) — and lets a test wait for lines of its
 * output: events, never fixed sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach } from 'vitest';
import { BIN, staleBuild } from './built-cli.js';

const root = path.dirname(path.dirname(BIN));

export interface CliProcess {
  child: ChildProcess;
  /** Every line printed so far (stdout and stderr). */
  lines: string[];
  /** Resolves with the first line (already printed or future) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number, fromLine?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const stale = staleBuild();
  if (stale !== undefined) {
    throw new Error(`${stale}: a test that spawns the CLI belongs under test/integration/`);
  }
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchProcess(child);
}

/** Any child process with piped output, as a CliProcess: its lines, waits for them, its exit. */
export function watchProcess(child: ChildProcess): CliProcess {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const onData = (buffer: { partial: string }) => (chunk: Buffer) => {
    buffer.partial += chunk.toString('utf8');
    const parts = buffer.partial.split('\n');
    buffer.partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData({ partial: '' }));
  child.stderr?.on('data', onData({ partial: '' }));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const w of waiters) w();
    });
  });

  const waitFor = (pattern: RegExp, timeoutMs = 20_000, fromLine = 0) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        for (let i = fromLine; i < lines.length; i++) {
          const m = pattern.exec(lines[i] as string);
          if (m !== null) {
            done();
            resolve(m);
            return;
          }
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(
            new Error(`process exited before printing ${pattern}; output:\n${lines.join('\n')}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.join('\n')}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill(signal);
    }
    return exited;
  };
  return { child, lines, waitFor, exited, stop };
}

/** The arguments of `heartbeat monitor` on loopback and free ports, then `args`. */
export function monitorArgs(args: string[]): string[] {
  return [
    'monitor',
    '--host',
    '127.0.0.1',
    '--udp-port',
    '0',
    '--tcp-port',
    '0',
    '--http-port',
    '0',
    ...args,
  ];
}

/** Waits for a monitor process's ready line and reads its ports from it. */
export async function monitorPorts(
  proc: CliProcess,
): Promise<CliProcess & { udp: number; tcp: number; http: number }> {
  const m = await proc.waitFor(
    /udp 127\.0\.0\.1:(\d+), tcp 127\.0\.0\.1:(\d+), http http:\/\/127\.0\.0\.1:(\d+)/,
  );
  return Object.assign(proc, { udp: Number(m[1]), tcp: Number(m[2]), http: Number(m[3]) });
}

/** Starts `heartbeat monitor` on free ports and reads them from its first line. */
export async function startMonitor(
  args: string[],
): Promise<CliProcess & { udp: number; tcp: number; http: number }> {
  return monitorPorts(startCli(monitorArgs(args)));
}

/**
 * Kills (SIGKILL) after each test the processes handed to the returned function, which gives them
 * back: `const track = killedAfterEach();` then `track(startCli(…))`.
 */
export function killedAfterEach(): <T extends CliProcess>(p: T) => T {
  const running: CliProcess[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  });
  return (p) => {
    running.push(p);
    return p;
  };
}
