/**
 * Operations endpoints: GET /healthz (the monitor is up and serving), GET /metrics
 * (Prometheus text format), GET /v1/stats (every counter as JSON: received, rejected by reason,
 * stalls, deferrals, recording, actions, SSE, and `kernel`: what the kernel dropped or capped for
 * the UDP socket, null without a UDP listener).
 */
import type { ApiBackend } from '../backend.js';
import { sendJson } from '../http-json.js';
import type { ApiMetrics } from '../metrics.js';
import type { Router } from '../router.js';
import type { SseHub } from '../sse.js';

export function healthRoutes(
  router: Router,
  monitor: ApiBackend,
  metrics: ApiMetrics,
  sse: SseHub,
): void {
  router.add(['GET', 'HEAD'], '/healthz', ({ res }) => {
    sendJson(res, 200, {
      status: 'ok',
      nodes: monitor.table.size,
      uptimeMs: monitor.stats().uptimeMs,
      wallMs: monitor.clock.wallMs(),
    });
  });

  router.add(['GET', 'HEAD'], '/metrics', async ({ res }) => {
    const { contentType, body } = await metrics.text();
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });

  router.add(['GET', 'HEAD'], '/v1/stats', async ({ res }) => {
    const kernel = await monitor.kernelStats();
    sendJson(res, 200, {
      ...monitor.stats(),
      kernel,
      table: monitor.table.counters(),
      nodesByState: monitor.table.counts(),
      sse: sse.stats(),
    });
  });
}
