/**
 * Runs operator commands (`sh -c command`) when nodes change state: page someone, fail over a
 * database, restart a service. The transition reaches the command as environment variables
 * (never spliced into the command text, so a node id cannot inject shell syntax). Commands run
 * with bounded concurrency and a timeout that kills the command's whole process group; a
 * failure is counted and reported as an event, never thrown at the caller.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Clock, TimerHandle } from '../core/clock.js';
import { TypedEmitter } from '../core/emitter.js';
import { MAX_EXEC_OUTPUT_BYTES, MAX_PENDING_EXEC_HOOKS } from '../core/limits.js';
import type { NodeTransition } from '../membership/types.js';
import { transitionDocument } from './transition-document.js';

export interface ExecHookOptions {
  /**
   * Commands running at once.
   * @default 4: enough for a few slow hooks side by side, while a mass failure queues its hooks
   * instead of forking hundreds of shells on the monitor's host.
   */
  maxConcurrent?: number;
  /**
   * Commands waiting for a slot; beyond this the oldest waiting one is dropped and counted.
   * @default MAX_PENDING_EXEC_HOOKS (1 000)
   */
  maxPending?: number;
  /**
   * Time a command may run before its process group gets SIGTERM.
   * @default 30 000 ms: a notification or a failover script finishes well within it; a hung one
   * must give its slot back.
   */
  timeoutMs?: number;
  /**
   * Time between SIGTERM and SIGKILL for a command that timed out, and the wait for its output
   * to close after it exited (a background child may hold it open).
   * @default 2 000 ms
   */
  killGraceMs?: number;
  /** The shell that runs `shell -c command`. @default '/bin/sh' */
  shell?: string;
  /** Environment the HEARTBEAT_* variables are added to. @default process.env */
  env?: Record<string, string | undefined>;
  /** Working directory of the commands. @default the monitor's */
  cwd?: string;
}

export interface ExecStats {
  started: number;
  succeeded: number;
  /** Non-zero exit, killed, timed out, or could not start. */
  failed: number;
  /** Of the failed, those killed for running past `timeoutMs`. */
  timedOut: number;
  dropped: number;
  running: number;
  pending: number;
}

/** How one command ended. `output` is the tail of its stdout and stderr, interleaved. */
export interface ExecResult {
  command: string;
  nodeId: string;
  to: string;
  ok: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  output: string;
  /** Why the command could not start, when it could not. */
  error: string | null;
}

export type ExecEvents = {
  'exec:exit': ExecResult;
  'exec:dropped': { command: string; nodeId: string; reason: 'queue-full' | 'stopped' };
};

interface Job {
  command: string;
  transition: NodeTransition;
}

interface Running {
  child: ChildProcess;
  done: Promise<void>;
}

const DEFAULT_MAX_CONCURRENT = 4;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_KILL_GRACE_MS = 2_000;

export class ExecHook {
  readonly events = new TypedEmitter<ExecEvents>();
  private readonly clock: Clock;
  private readonly maxConcurrent: number;
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  private readonly killGraceMs: number;
  private readonly shell: string;
  private readonly env: Record<string, string | undefined>;
  private readonly cwd: string | undefined;
  private readonly waiting: Job[] = [];
  private readonly running = new Set<Running>();
  private stopped = false;
  private readonly counts = { started: 0, succeeded: 0, failed: 0, timedOut: 0, dropped: 0 };

  constructor(components: { clock: Clock }, init: ExecHookOptions = {}) {
    this.clock = components.clock;
    this.maxConcurrent = Math.max(1, init.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
    this.maxPending = Math.max(0, init.maxPending ?? MAX_PENDING_EXEC_HOOKS);
    this.timeoutMs = Math.max(1, init.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.killGraceMs = Math.max(0, init.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    this.shell = init.shell ?? '/bin/sh';
    this.env = init.env ?? process.env;
    this.cwd = init.cwd;
  }

  /** Runs `command` for transition `t` now, or when a slot frees up; never throws. */
  run(command: string, t: NodeTransition): void {
    const job = { command, transition: t };
    if (this.stopped) {
      this.drop(job, 'stopped');
      return;
    }
    if (this.running.size < this.maxConcurrent) {
      this.start(job);
      return;
    }
    this.waiting.push(job);
    if (this.waiting.length > this.maxPending) {
      const oldest = this.waiting.shift();
      if (oldest !== undefined) this.drop(oldest, 'queue-full');
    }
  }

  stats(): ExecStats {
    return { ...this.counts, running: this.running.size, pending: this.waiting.length };
  }

  /** Drops waiting commands (counted), kills running ones, and resolves when they have exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.waiting.splice(0)) this.drop(job, 'stopped');
    const running = [...this.running];
    for (const { child } of running) killGroup(child, 'SIGKILL');
    await Promise.all(running.map((r) => r.done));
  }

  private start(job: Job): void {
    this.counts.started++;
    const startMs = this.clock.monotonicMs();
    let child: ChildProcess;
    try {
      child = spawn(this.shell, ['-c', job.command], {
        env: { ...this.env, ...hookEnv(job.transition) },
        cwd: this.cwd,
        // Its own process group, so a timeout kills the command's children too.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // E.g. a NUL byte in a variable: the command never ran.
      this.finish(job, startMs, { code: null, signal: null, timedOut: false, output: '' }, error);
      return;
    }
    const output = new OutputTail(MAX_EXEC_OUTPUT_BYTES);
    child.stdout?.on('data', (chunk: Buffer) => output.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.add(chunk));

    let timedOut = false;
    const timers: TimerHandle[] = [];
    const done = new Promise<void>((resolve) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
      let spawnError: unknown = null;
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        for (const timer of timers) timer.cancel();
        child.stdout?.destroy();
        child.stderr?.destroy();
        this.running.delete(entry);
        this.finish(
          job,
          startMs,
          {
            code: exit?.code ?? null,
            signal: exit?.signal ?? null,
            timedOut,
            output: output.text(),
          },
          spawnError,
        );
        resolve();
      };
      child.once('error', (error) => {
        spawnError = error;
        settle();
      });
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        if (settled) return;
        // Output may still be in the pipes; a background child may keep them open for ever.
        timers.push(this.clock.setTimeout(settle, this.killGraceMs));
      });
      child.once('close', settle);
    });
    const entry: Running = { child, done };
    this.running.add(entry);
    timers.push(
      this.clock.setTimeout(() => {
        timedOut = true;
        killGroup(child, 'SIGTERM');
        timers.push(this.clock.setTimeout(() => killGroup(child, 'SIGKILL'), this.killGraceMs));
      }, this.timeoutMs),
    );
  }

  private finish(
    job: Job,
    startMs: number,
    end: { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; output: string },
    error: unknown,
  ): void {
    const ok = error === null && !end.timedOut && end.code === 0;
    if (ok) this.counts.succeeded++;
    else this.counts.failed++;
    if (end.timedOut) this.counts.timedOut++;
    this.events.emit('exec:exit', {
      command: job.command,
      nodeId: job.transition.nodeId,
      to: job.transition.to,
      ok,
      ...end,
      durationMs: this.clock.monotonicMs() - startMs,
      error: error === null ? null : error instanceof Error ? error.message : String(error),
    });
    this.next();
  }

  private next(): void {
    while (!this.stopped && this.running.size < this.maxConcurrent) {
      const job = this.waiting.shift();
      if (job === undefined) return;
      this.start(job);
    }
  }

  private drop(job: Job, reason: 'queue-full' | 'stopped'): void {
    this.counts.dropped++;
    this.events.emit('exec:dropped', {
      command: job.command,
      nodeId: job.transition.nodeId,
      reason,
    });
  }
}

/** The HEARTBEAT_* variables a hook sees (docs/CONFIG.md lists them); unknown values are ''. */
export function hookEnv(t: NodeTransition): Record<string, string> {
  const doc = transitionDocument(t);
  const text = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : String(value);
  return {
    HEARTBEAT_NODE_ID: t.nodeId,
    HEARTBEAT_FROM: t.from,
    HEARTBEAT_TO: t.to,
    HEARTBEAT_REASON: t.reason,
    HEARTBEAT_WALL_MS: text(t.wallMs),
    HEARTBEAT_TIME: doc.time ?? '',
    HEARTBEAT_DETECTION_MS: text(t.detectionMs),
    HEARTBEAT_DOWN_FOR_MS: text(t.downForMs),
    HEARTBEAT_SINCE_LAST_MS: text(t.evidence.sinceLastMs),
    HEARTBEAT_INCARNATION: text(t.evidence.incarnation),
    HEARTBEAT_LAST_SEQ: text(t.evidence.lastSeq),
    HEARTBEAT_LOST: text(t.evidence.lost),
    HEARTBEAT_EVIDENCE: JSON.stringify(t.evidence),
    HEARTBEAT_TRANSITION: JSON.stringify(doc),
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Keeps the last `maxBytes` bytes written to it. */
class OutputTail {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes - (this.chunks[0]?.length ?? 0) >= this.maxBytes && this.chunks.length > 1) {
      this.bytes -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.maxBytes)).toString('utf8');
  }
}
