import type { Rng } from '../core/rng.js';
import { createSampler, type Sampler } from './distribution.js';
import { createLossProcess, type LossProcess } from './loss-model.js';
import { PauseWindows } from './pause-windows.js';
import { streamRng } from './rng-streams.js';
import type { Scenario } from './scenario.js';

/**
 * One simulated sender and its link to the monitor, as the scenario describes them. Both the
 * full simulator and `scenarioToTrace` draw every heartbeat from here, each node from its own
 * random streams, so they agree heartbeat for heartbeat.
 *
 * Sending: the first heartbeat leaves at a random phase within the first interval (senders do
 * not start in lockstep); each next one an interval later, drawn from `intervalMs·(1 ± jitter)`
 * and measured by the sender's own clock, which runs fast or slow by up to `clockDriftPpm`. A
 * heartbeat due during a sender pause leaves when the pause ends, and the next one is timed from
 * then, as a timer in a stopped process fires late. A crashed sender sends nothing more.
 */
export class SenderModel {
  /** Real ms per ms of the sender's clock. */
  readonly rate: number;
  readonly crashAtMs: number;
  private readonly jitterRng: Rng;
  private readonly linkRng: Rng;
  private readonly pauses: PauseWindows;
  private readonly delay: Sampler;
  private readonly lossProcess: LossProcess;
  private readonly partitions: { startMs: number; durationMs: number; everyMs: number }[];
  private nextSendMs: number;
  private sent = 0;

  constructor(
    private readonly scenario: Scenario,
    seed: number,
    readonly node: number,
    init: { ignoreCrash?: boolean } = {},
  ) {
    this.jitterRng = streamRng(seed, 'sender', node);
    this.linkRng = streamRng(seed, 'link', node);
    const nodeRng = streamRng(seed, 'node', node);
    const drift = (2 * nodeRng.next() - 1) * scenario.clockDriftPpm * 1e-6;
    this.rate = 1 / (1 + drift);
    const phase = nodeRng.next() * scenario.intervalMs;
    this.pauses = new PauseWindows(scenario.senderPauses, nodeRng);
    this.delay = createSampler(scenario.delay);
    this.lossProcess = createLossProcess(scenario.loss);
    const crashes = scenario.crash !== undefined && node < (scenario.crash.nodes ?? 1);
    this.crashAtMs =
      crashes && init.ignoreCrash !== true ? (scenario.crash?.atMs ?? Infinity) : Infinity;
    this.partitions = scenario.partitions
      .filter((p) => node < (p.nodes ?? scenario.nodes))
      .map((p) => ({
        startMs: p.startMs,
        durationMs: p.durationMs,
        everyMs: p.everyMs ?? Infinity,
      }));
    this.nextSendMs = this.pauses.resumeAt(phase);
  }

  /** Real time at which the next heartbeat leaves; undefined when there is none. */
  peekNextMs(): number | undefined {
    const t = this.nextSendMs;
    return t >= this.crashAtMs || t >= this.scenario.durationMs ? undefined : t;
  }

  /**
   * The next heartbeat: its seq and real send time; undefined once the sender crashed or the
   * scenario ended. Advances the sender.
   */
  next(): { seq: number; sentMs: number } | undefined {
    const t = this.send();
    return Number.isNaN(t) ? undefined : { seq: this.seq, sentMs: t };
  }

  /**
   * Like `next()` without allocating: the real send time of the next heartbeat, whose seq is then
   * `seq`; NaN once the sender crashed or the scenario ended. Advances the sender.
   */
  send(): number {
    const t = this.nextSendMs;
    if (t >= this.crashAtMs || t >= this.scenario.durationMs) return Number.NaN;
    this.sent++;
    const s = this.scenario;
    const interval =
      s.intervalMs * (1 + s.jitterRatio * (2 * this.jitterRng.next() - 1)) * this.rate;
    this.nextSendMs = this.pauses.resumeAt(t + interval);
    return t;
  }

  /** Seq of the last heartbeat sent (0 before the first). */
  get seq(): number {
    return this.sent;
  }

  /** Whether the link to the monitor is cut at `tMs` by a partition. */
  partitioned(tMs: number): boolean {
    for (const p of this.partitions) {
      if (tMs < p.startMs) continue;
      const since = tMs - p.startMs;
      const phase = p.everyMs === Infinity ? since : since % p.everyMs;
      if (phase < p.durationMs) return true;
    }
    return false;
  }

  /** Whether the next message on the link is lost (draws from the link stream). */
  lose(): boolean {
    return this.lossProcess(this.linkRng);
  }

  /** One-way delay of the next message that is not lost (draws from the link stream). */
  delayMs(): number {
    return Math.max(0, this.delay(this.linkRng));
  }

  /** The sender's wall clock at real time `tMs`, drifting at its rate. */
  wallMs(tMs: number, wallStartMs: number): number {
    return wallStartMs + tMs / this.rate;
  }
}
