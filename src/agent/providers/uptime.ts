/**
 * How long the agent has been running, by its clock, in whole ms. Together with the incarnation
 * it tells a restart loop (uptime always small) from a node that merely missed heartbeats.
 */
import type { Clock } from '../../core/clock.js';
import type { Payload } from '../../protocol/message.js';
import type { PayloadProvider } from './provider.js';

export class UptimeProvider implements PayloadProvider {
  readonly name = 'uptime';
  private readonly clock: Clock;
  private startedAtMs: number | undefined;

  constructor(components: { clock: Clock }) {
    this.clock = components.clock;
  }

  start(): void {
    this.startedAtMs ??= this.clock.monotonicMs();
  }

  collect(): Payload {
    const startedAtMs = this.startedAtMs ?? this.clock.monotonicMs();
    return { uptimeMs: Math.round(this.clock.monotonicMs() - startedAtMs) };
  }
}
