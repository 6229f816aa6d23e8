/**
 * Counters of everything the monitor was sent: messages received per transport, what the node
 * table made of them, and input refused, by transport and reason. Plain numbers on the hot path;
 * the Prometheus metrics and GET /v1/stats read them when asked.
 */
import type { ReceiveOutcome } from '../membership/node-table.js';

export type Transport = 'udp' | 'tcp' | 'http';

export const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'http'];

export interface IngestSnapshot {
  /** Decoded messages handed to the node table, per transport. */
  received: Record<Transport, number>;
  /** What the node table did with them, per outcome. */
  outcomes: Record<string, number>;
  /** Refused input per transport, per reason (`bad-magic`, `too-long`, `bad-json`, …). */
  rejected: Record<Transport, Record<string, number>>;
}

export class IngestStats {
  private readonly receivedBy: Record<Transport, number> = { udp: 0, tcp: 0, http: 0 };
  private readonly outcomeCounts = new Map<ReceiveOutcome, number>();
  private readonly rejectedBy: Record<Transport, Map<string, number>> = {
    udp: new Map(),
    tcp: new Map(),
    http: new Map(),
  };

  received(transport: Transport, outcome: ReceiveOutcome): void {
    this.receivedBy[transport]++;
    this.outcomeCounts.set(outcome, (this.outcomeCounts.get(outcome) ?? 0) + 1);
  }

  rejected(transport: Transport, reason: string): void {
    const m = this.rejectedBy[transport];
    m.set(reason, (m.get(reason) ?? 0) + 1);
  }

  /** Total refused input across transports and reasons. */
  rejectedTotal(): number {
    let n = 0;
    for (const t of TRANSPORTS) for (const v of this.rejectedBy[t].values()) n += v;
    return n;
  }

  snapshot(): IngestSnapshot {
    return {
      received: { ...this.receivedBy },
      outcomes: Object.fromEntries(this.outcomeCounts),
      rejected: {
        udp: Object.fromEntries(this.rejectedBy.udp),
        tcp: Object.fromEntries(this.rejectedBy.tcp),
        http: Object.fromEntries(this.rejectedBy.http),
      },
    };
  }
}
