/**
 * Prometheus metrics (GET /metrics), one registry per monitor so several monitors in one process
 * do not collide. Counters the monitor already keeps (heartbeats received, rejected input,
 * stalls) are read from it at scrape time, so the hot path pays nothing for them; transitions
 * and detection latency are observed as they happen (they are rare). The UDP socket's kernel
 * figures (kernel-metrics.ts) are read once per scrape. Process metrics (CPU, RSS, event-loop
 * lag) come from prom-client's default collectors.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { NODE_STATES } from '../membership/types.js';
import { TRANSPORTS } from '../monitor/ingest-stats.js';
import type { UdpKernelStats } from '../transport/udp-kernel-stats.js';
import type { ApiBackend } from './backend.js';
import { registerKernelMetrics } from './kernel-metrics.js';

export interface ApiMetricsOptions {
  /** Also export process metrics (CPU, memory, event-loop lag). @default true */
  processMetrics?: boolean;
  /** Extra gauges read at scrape time, e.g. SSE subscribers. */
  sseClients?: () => number;
}

/** Detection latency buckets, in seconds: from a LAN's sub-second to a WAN's minute. */
const LATENCY_BUCKETS_S = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120];

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly offs: (() => void)[] = [];
  private readonly monitor: ApiBackend;
  /** The kernel's figures as read for the scrape being rendered. */
  private kernel: UdpKernelStats | null = null;

  constructor(components: { monitor: ApiBackend }, init: ApiMetricsOptions = {}) {
    const monitor = components.monitor;
    this.monitor = monitor;
    const registers = [this.registry];
    if (init.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    new Counter({
      name: 'heartbeat_messages_received_total',
      help: 'Decoded heartbeat and leave messages handed to the node table, by transport.',
      labelNames: ['transport'],
      registers,
      collect() {
        const received = monitor.stats().ingest.received;
        this.reset();
        for (const t of TRANSPORTS) this.inc({ transport: t }, received[t]);
      },
    });
    new Counter({
      name: 'heartbeat_messages_outcome_total',
      help: 'What the node table did with received messages (accepted, duplicate, stale, left, rejected-limit).',
      labelNames: ['outcome'],
      registers,
      collect() {
        const outcomes = monitor.stats().ingest.outcomes;
        this.reset();
        for (const [outcome, n] of Object.entries(outcomes)) this.inc({ outcome }, n);
      },
    });
    new Counter({
      name: 'heartbeat_rejected_total',
      help: 'Input refused before the node table (undecodable, oversized, bad HTTP requests), by transport and reason.',
      labelNames: ['transport', 'reason'],
      registers,
      collect() {
        const rejected = monitor.stats().ingest.rejected;
        this.reset();
        for (const t of TRANSPORTS) {
          for (const [reason, n] of Object.entries(rejected[t]))
            this.inc({ transport: t, reason }, n);
        }
      },
    });
    new Gauge({
      name: 'heartbeat_nodes',
      help: 'Nodes in the table, by state.',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = monitor.table.counts();
        for (const s of NODE_STATES) this.set({ state: s }, counts[s] ?? 0);
      },
    });
    const transitions = new Counter({
      name: 'heartbeat_transitions_total',
      help: 'Node state transitions, by the state entered (`removed` for removals).',
      labelNames: ['to'],
      registers,
    });
    const latency = new Histogram({
      name: 'heartbeat_detection_latency_seconds',
      help: 'Time from the last heartbeat to a suspect or dead verdict (detection time T_D).',
      labelNames: ['state'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    });
    this.offs.push(
      monitor.on('transition', (t) => {
        transitions.inc({ to: t.reason === 'removed' ? 'removed' : t.to });
        // Only the detector's own verdicts: a reported failure is not a detection.
        const detected = t.reason === 'detector' || t.reason === 'dead-grace-expired';
        if (detected && t.detectionMs !== undefined) {
          latency.observe({ state: t.to }, t.detectionMs / 1000);
        }
      }),
    );
    new Counter({
      name: 'heartbeat_monitor_stalls_total',
      help: 'Times the pause guard saw the monitor process stall (GC, SIGSTOP, VM pause) and held convictions.',
      registers,
      collect() {
        this.reset();
        this.inc(monitor.stats().stalls.stalls);
      },
    });
    new Counter({
      name: 'heartbeat_monitor_stalled_seconds_total',
      help: 'Summed length of the monitor stalls seen by the pause guard.',
      registers,
      collect() {
        this.reset();
        this.inc(monitor.stats().stalls.stalledMs / 1000);
      },
    });
    new Counter({
      name: 'heartbeat_convictions_deferred_total',
      help: 'Times the node table held convictions, by reason (start, stall).',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(monitor.stats().deferrals))
          this.inc({ reason }, n);
      },
    });
    new Counter({
      name: 'heartbeat_monitor_errors_total',
      help: 'Failures the monitor survived (history writes, actions, recording), by where.',
      labelNames: ['where'],
      registers,
      collect() {
        this.reset();
        for (const [where, n] of Object.entries(monitor.stats().errors)) this.inc({ where }, n);
      },
    });
    registerKernelMetrics(registers, () => this.kernel);
    const sseClients = init.sseClients;
    if (sseClients !== undefined) {
      new Gauge({
        name: 'heartbeat_sse_clients',
        help: 'Subscribers of the event stream.',
        registers,
        collect() {
          this.set(sseClients());
        },
      });
    }
  }

  /** The text exposition format, for GET /metrics. */
  async text(): Promise<{ contentType: string; body: string }> {
    this.kernel = await this.monitor.kernelStats();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
