/**
 * The agent: sends "I'm alive" for one node to one or more monitors, every interval (with a
 * little jitter), until stopped; on a graceful stop it says goodbye (`leave`), so the monitor
 * records the node as `left` rather than failed. Embed it in any service, or run it as
 * `heartbeat agent` (see run-agent.ts).
 *
 * Time comes only from the injected clock and randomness only from the injected rng, so a test
 * with ManualClock and SeededRng knows the exact instant of every heartbeat.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import { DEFAULT_INTERVAL_MS } from '../core/defaults.js';
import { TypedEmitter } from '../core/emitter.js';
import { ConfigError, HeartbeatError, StateError } from '../core/errors.js';
import { MAX_HEARTBEAT_INTERVAL_MS, MIN_HEARTBEAT_INTERVAL_MS } from '../core/limits.js';
import type { Rng } from '../core/rng.js';
import { MAX_U32, checkNodeId } from '../protocol/index.js';
import type { Keyring } from '../protocol/keyring.js';
import type { Message, MessageType, Payload } from '../protocol/message.js';
import type { HttpSenderOptions } from '../transport/http-sender.js';
import { createSender } from '../transport/create-sender.js';
import {
  mathRandom,
  type HeartbeatSender,
  type SenderStats,
  type SentEvent,
} from '../transport/sender.js';
import { parseTarget, type Target } from '../transport/target.js';
import type { TcpSenderOptions } from '../transport/tcp-sender.js';
import { newIncarnation } from './incarnation.js';
import { PayloadBuilder, fitPayload } from './payload-builder.js';
import {
  CustomMetricsProvider,
  DEFAULT_PROVIDERS,
  createProvider,
  type PayloadProvider,
  type ProviderName,
} from './providers/index.js';

export interface AgentOptions {
  /** This node's id: UTF-8, 1–255 bytes, no whitespace or control characters. */
  nodeId: string;
  /** Monitor URLs: `udp://host:port`, `tcp://host:port`, `http(s)://host[:port][/base]`. */
  targets: string[];
  /**
   * Time between heartbeats, ms (rounded to whole ms, from MIN_HEARTBEAT_INTERVAL_MS to MAX_HEARTBEAT_INTERVAL_MS). Every
   * message carries it, so the monitor's detector starts from the right expectation.
   * @default 1000 — detection within a few seconds at a cost too small to measure (see
   * docs/AGENT.md), the interval most heartbeat systems settle on.
   */
  intervalMs?: number;
  /**
   * Each interval is drawn uniformly from `intervalMs · (1 ± jitterRatio)`, 0 to 0.5.
   * @default 0.1 — agents started together (a rack powering up, a deploy) drift apart instead of
   * reaching the monitor in one burst every interval, while the spread (standard deviation
   * 5.8 % of the interval, 58 ms at 1 s) stays under the minimum deviation adaptive detectors
   * assume anyway (phi: 100 ms), so detection is no slower for it. The mean stays `intervalMs`.
   */
  jitterRatio?: number;
  /**
   * The u32 that tells this run of the process from earlier ones.
   * @default the wall clock in 10 ms units, modulo 2^32 — increasing across restarts with no
   * stored state (see incarnation.ts and docs/AGENT.md). Pass your own (e.g. a counter kept on
   * disk) if the wall clock of this host may be stepped back.
   */
  incarnation?: number;
  /**
   * What goes into each heartbeat's payload, in order: built-in provider names or your own
   * providers. `[]` sends heartbeats without payload (the smallest messages).
   * @default all built-ins: load, memory, event-loop, uptime, version.
   */
  providers?: (ProviderName | PayloadProvider)[];
  /**
   * Your own key=value metrics, fixed or computed per heartbeat; added after the providers (a key
   * of yours replaces a built-in one). Fixed values are checked against the payload limits now.
   * @default none.
   */
  metrics?: Payload | (() => Payload);
  /** Reconnect and timeout settings of TCP targets. @default see TcpSenderOptions. */
  tcp?: TcpSenderOptions;
  /** Timeout and headers of HTTP targets. @default see HttpSenderOptions. */
  http?: HttpSenderOptions;
}

export interface AgentComponents {
  clock: Clock;
  /** Source of the jitter. @default Math.random */
  rng?: Rng;
  /** Makes the sender of each target. @default createSender (UDP, TCP or HTTP by URL). */
  createSender?: (target: Target) => HeartbeatSender;
  /**
   * Sign every message with this node's signing key (its own primary, else the shared one):
   * authenticated binary v2 over UDP and TCP, which a monitor with keys requires. The keyring
   * may change while the agent runs (a reload of the key file): each message uses the key of the
   * moment. HTTP carries JSON, which cannot be signed, so an agent with keys refuses http://
   * targets. @default none: binary v1.
   */
  keyring?: Keyring;
}

/** An error of the agent or of one of its senders or providers; never thrown, only emitted. */
export interface AgentErrorEvent {
  error: Error;
  /** The target URL, for send errors. */
  target?: string;
  /** The provider name, for payload problems. */
  provider?: string;
  /** The message concerned, when there is one. */
  message?: Message;
}

export interface AgentEvents extends Record<string, unknown> {
  /** A heartbeat or leave was composed and handed to every sender. */
  message: Message;
  /** One message reached the network (UDP, TCP) or was accepted by the monitor (HTTP). */
  sent: SentEvent;
  error: AgentErrorEvent;
}

export interface AgentStats {
  nodeId: string;
  incarnation: number;
  /** The seq of the newest message composed (0 before the first). */
  seq: number;
  /** Messages composed (heartbeats and leave). */
  messages: number;
  /** Payload entries left out or providers that failed, summed over all heartbeats. */
  payloadProblems: number;
  /** Per target URL. */
  targets: Record<string, SenderStats>;
}

/** The one default interval (core/defaults.ts), which the monitor assumes too. */
export { DEFAULT_INTERVAL_MS };
export const DEFAULT_JITTER_RATIO = 0.1;
/** Jitter beyond ±50 % would make the interval meaningless to the monitor's detector. */
export const MAX_JITTER_RATIO = 0.5;

type Lifecycle = 'created' | 'running' | 'stopping' | 'stopped';

export class Agent {
  readonly nodeId: string;
  readonly intervalMs: number;
  readonly jitterRatio: number;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly emitter = new TypedEmitter<AgentEvents>();
  private readonly targets: Target[];
  private readonly makeSender: (target: Target) => HeartbeatSender;
  private readonly payload: PayloadBuilder;
  private senders: HeartbeatSender[] = [];
  private incarnationValue: number;
  private seq = 0;
  private messages = 0;
  private payloadProblems = 0;
  private lifecycle: Lifecycle = 'created';
  private timer: TimerHandle | undefined;
  /** Monotonic time the current heartbeat was planned for; the next is planned from it. */
  private plannedMs = 0;
  private stopping: Promise<void> | undefined;

  /** Checks every option; throws ConfigError (one clear line) for anything unacceptable. */
  constructor(components: AgentComponents, init: AgentOptions) {
    this.clock = components.clock;
    this.rng = components.rng ?? mathRandom;
    if (typeof init !== 'object' || init === null) throw new ConfigError('agent options missing');

    const idProblem = checkNodeId(init.nodeId);
    if (idProblem !== undefined) {
      throw new ConfigError(`bad node id ${JSON.stringify(init.nodeId)}: ${idProblem.message}`);
    }
    this.nodeId = init.nodeId;

    if (!Array.isArray(init.targets) || init.targets.length === 0) {
      throw new ConfigError('an agent needs at least one monitor URL (targets)');
    }
    this.targets = init.targets.map(parseTarget);
    const seen = new Set<string>();
    for (const target of this.targets) {
      const key = `${target.kind}:${target.kind === 'http' ? target.heartbeatUrl : `${target.host}:${target.port}`}`;
      if (seen.has(key)) throw new ConfigError(`monitor URL ${target.url} is listed twice`);
      seen.add(key);
    }

    const intervalMs = init.intervalMs ?? DEFAULT_INTERVAL_MS;
    if (
      typeof intervalMs !== 'number' ||
      !(intervalMs >= MIN_HEARTBEAT_INTERVAL_MS && intervalMs <= MAX_HEARTBEAT_INTERVAL_MS)
    ) {
      throw new ConfigError(
        `intervalMs must be a number of ms from ${MIN_HEARTBEAT_INTERVAL_MS} to ${MAX_HEARTBEAT_INTERVAL_MS}, got ${String(intervalMs)}`,
      );
    }
    this.intervalMs = Math.round(intervalMs);

    const jitterRatio = init.jitterRatio ?? DEFAULT_JITTER_RATIO;
    if (typeof jitterRatio !== 'number' || !(jitterRatio >= 0 && jitterRatio <= MAX_JITTER_RATIO)) {
      throw new ConfigError(
        `jitterRatio must be a number from 0 to ${MAX_JITTER_RATIO}, got ${String(jitterRatio)}`,
      );
    }
    this.jitterRatio = jitterRatio;

    if (init.incarnation !== undefined) {
      const inc = init.incarnation;
      if (typeof inc !== 'number' || !Number.isInteger(inc) || inc < 0 || inc > MAX_U32) {
        throw new ConfigError(
          `incarnation must be an integer from 0 to ${MAX_U32}, got ${String(inc)}`,
        );
      }
      this.incarnationValue = inc;
    } else {
      this.incarnationValue = newIncarnation(this.clock);
    }

    const providers = (init.providers ?? DEFAULT_PROVIDERS).map((p) =>
      typeof p === 'string' ? createProvider(p, { clock: this.clock }) : p,
    );
    if (init.metrics !== undefined) {
      const custom = new CustomMetricsProvider(init.metrics);
      const fixed = custom.fixed;
      if (fixed !== undefined) {
        const checked = fitPayload(Object.entries(fixed).map(([k, v]) => [k, v, custom.name]));
        const first = checked.problems[0];
        if (first !== undefined) throw new ConfigError(`bad metric ${first.message}`);
      }
      providers.push(custom);
    }
    this.payload = new PayloadBuilder(providers);

    const keyring = components.keyring;
    if (keyring !== undefined) {
      if (keyring.signingKey(this.nodeId) === undefined) {
        throw new ConfigError(
          `the keys have no primary key for node ${JSON.stringify(this.nodeId)}: mark one "primary" (shared, or node=${this.nodeId})`,
        );
      }
      const http = this.targets.find((t) => t.kind === 'http');
      if (http !== undefined) {
        throw new ConfigError(
          `monitor URL ${http.url}: heartbeats over HTTP cannot be signed; with keys use udp:// or tcp://`,
        );
      }
    }

    const senderOptions = {
      ...(init.tcp !== undefined ? { tcp: init.tcp } : {}),
      ...(init.http !== undefined ? { http: init.http } : {}),
    };
    this.makeSender =
      components.createSender ??
      ((target) =>
        createSender(
          {
            clock: this.clock,
            ...(components.rng !== undefined ? { rng: components.rng } : {}),
            ...(keyring !== undefined ? { keyring } : {}),
          },
          target,
          senderOptions,
        ));
  }

  /** The incarnation the agent sends with (changes only if seq ever wraps past 2^32 − 1). */
  get incarnation(): number {
    return this.incarnationValue;
  }

  /** Typed events: `message`, `sent`, `error`. Returns a function that removes the listener. */
  on<K extends keyof AgentEvents>(name: K, listener: (event: AgentEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  off<K extends keyof AgentEvents>(name: K, listener: (event: AgentEvents[K]) => void): void {
    this.emitter.off(name, listener);
  }

  /**
   * Opens the senders, sends the first heartbeat at once (so the monitor sees the node without
   * waiting an interval) and schedules the next. Calling it while running does nothing; an
   * agent that was stopped cannot start again (create a new one: it gets a new incarnation).
   */
  start(): void {
    if (this.lifecycle === 'running') return;
    if (this.lifecycle !== 'created') {
      throw new StateError('agent', 'stopped', 'start again (create a new one)');
    }
    this.lifecycle = 'running';
    this.senders = this.targets.map((target) => {
      const sender = this.makeSender(target);
      sender.events.on('sent', (event) => this.emitter.emit('sent', event));
      sender.events.on('error', (event) =>
        this.emitter.emit('error', {
          error: event.error,
          target: event.target,
          ...(event.message !== undefined ? { message: event.message } : {}),
        }),
      );
      return sender;
    });
    this.payload.start();
    this.plannedMs = this.clock.monotonicMs();
    this.beat();
    this.scheduleNext();
  }

  /**
   * Stops the heartbeats. With `leave` (the default) it first sends `leave` to every target, so
   * the monitor records a graceful departure instead of waiting to declare the node dead. Then
   * it closes the senders (each waits, within its timeout, for what it still has to deliver).
   * Idempotent: later calls return the same promise.
   */
  stop(options: { leave?: boolean } = {}): Promise<void> {
    this.stopping ??= this.shutdown(options.leave ?? true);
    return this.stopping;
  }

  stats(): AgentStats {
    const targets: Record<string, SenderStats> = {};
    for (const sender of this.senders) targets[sender.target.url] = sender.stats();
    return {
      nodeId: this.nodeId,
      incarnation: this.incarnationValue,
      seq: this.seq,
      messages: this.messages,
      payloadProblems: this.payloadProblems,
      targets,
    };
  }

  private async shutdown(leave: boolean): Promise<void> {
    const wasRunning = this.lifecycle === 'running';
    this.lifecycle = 'stopping';
    this.timer?.cancel();
    this.timer = undefined;
    if (wasRunning && leave) this.dispatch(this.compose('leave', undefined));
    await Promise.all(this.senders.map((sender) => sender.close()));
    if (wasRunning) this.payload.stop();
    this.lifecycle = 'stopped';
  }

  private scheduleNext(): void {
    const gapMs = this.intervalMs * (1 + this.jitterRatio * (2 * this.rng.next() - 1));
    const nowMs = this.clock.monotonicMs();
    let dueMs = this.plannedMs + gapMs;
    // After a stall longer than a whole gap (a paused process, a suspended laptop) send one
    // heartbeat and go on from now, rather than a burst of catch-up heartbeats.
    if (dueMs < nowMs) dueMs = nowMs + gapMs;
    this.plannedMs = dueMs;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.lifecycle !== 'running') return;
      this.beat();
      this.scheduleNext();
    }, dueMs - nowMs);
  }

  /** Composes and sends one heartbeat; never throws (this runs on a timer). */
  private beat(): void {
    try {
      const built = this.payload.build();
      for (const problem of built.problems) {
        this.payloadProblems++;
        this.emitter.emit('error', {
          error: new HeartbeatError('payload', `payload ${problem.provider}: ${problem.message}`, {
            cause: problem.cause,
          }),
          provider: problem.provider,
        });
      }
      this.dispatch(this.compose('heartbeat', built.payload));
    } catch (error) {
      this.emitter.emit('error', {
        error:
          error instanceof Error
            ? error
            : new HeartbeatError('agent', String(error), { cause: error }),
      });
    }
  }

  private compose(type: MessageType, payload: Payload | undefined): Message {
    if (this.seq >= MAX_U32) {
      // Sequence numbers are u32: after 2^32 − 1 messages (497 days at 10 ms) start a new
      // incarnation, which the monitor reads as a restart. (The monitor also follows a seq that
      // wraps to 0, docs/PROTOCOL.md, but a monitor older than that rule would not.)
      this.incarnationValue = (this.incarnationValue + 1) % (MAX_U32 + 1);
      this.seq = 0;
    }
    this.seq++;
    const message: Message = {
      type,
      nodeId: this.nodeId,
      incarnation: this.incarnationValue,
      seq: this.seq,
      sentAtMs: this.clock.wallMs(),
      intervalMs: this.intervalMs,
    };
    if (payload !== undefined) message.payload = payload;
    return message;
  }

  private dispatch(message: Message): void {
    this.messages++;
    this.emitter.emit('message', message);
    for (const sender of this.senders) sender.send(message);
  }
}
