/**
 * Heartbeats over HTTP.
 * - POST /v1/heartbeat: one JSON message (docs/PROTOCOL.md), as an agent sends it.
 * - GET|POST /ping/:node: a push ping for cron jobs and scripts (`curl host/ping/backup-job`),
 *   like Healthchecks.io; an optional JSON object body becomes the node's payload.
 * - GET|POST /ping/:node/fail: the job reports its own failure → dead at once.
 * - GET|POST /ping/:node/leave: a graceful goodbye → left.
 * Every message goes through the protocol's JSON decoder, so the same limits apply as on UDP.
 */
import type { IncomingMessage } from 'node:http';
import { DecodeError, LimitError, UnknownNodeError } from '../../core/errors.js';
import type { IngestOutcome } from '../../monitor/monitor.js';
import { decodeJson } from '../../protocol/index.js';
import type { Peer } from '../../transport/listener.js';
import type { ApiBackend } from '../backend.js';
import { parseJson, readBody, sendJson } from '../http-json.js';
import type { RequestContext, Router } from '../router.js';

export function ingestRoutes(router: Router, monitor: ApiBackend): void {
  router.add('POST', '/v1/heartbeat', async ({ req, res }) => {
    const message = decodeJson(await readBody(req));
    const outcome = monitor.ingest(message, peerOf(req));
    replyOutcome(monitor, outcome, message.nodeId, res);
  });

  router.add(['GET', 'POST'], '/ping/:node', async (ctx) => {
    const nodeId = ctx.params['node'] as string;
    const payload = await optionalPayload(ctx.req);
    const message = decodeJson({ type: 'heartbeat', nodeId, payload });
    const outcome = monitor.ingest(message, peerOf(ctx.req));
    replyOutcome(monitor, outcome, nodeId, ctx.res);
  });

  router.add(['GET', 'POST'], '/ping/:node/fail', async ({ req, res, params }) => {
    const nodeId = params['node'] as string;
    const body = await optionalPayload(req);
    // The id and the body (kept as the transition's note) follow the protocol's payload rules,
    // so a note is as small as a payload.
    const checked = decodeJson({ type: 'heartbeat', nodeId, payload: body });
    if (!monitor.admitsUnauthenticated(nodeId)) {
      monitor.reject('http', 'unauthenticated', peerOf(req).address);
      replyOutcome(monitor, 'unauthenticated', nodeId, res);
      return;
    }
    const note = checked.payload === undefined ? undefined : JSON.stringify(checked.payload);
    if (!monitor.table.reportFailure(nodeId, note)) throw new UnknownNodeError(nodeId);
    sendJson(res, 200, { outcome: 'failed', status: monitor.table.status(nodeId) });
  });

  router.add(['GET', 'POST'], '/ping/:node/leave', async ({ req, res, params }) => {
    const nodeId = params['node'] as string;
    await optionalPayload(req);
    const message = decodeJson({ type: 'leave', nodeId });
    if (monitor.table.get(nodeId) === undefined) throw new UnknownNodeError(nodeId);
    const outcome = monitor.ingest(message, peerOf(req));
    replyOutcome(monitor, outcome, nodeId, res);
  });
}

export function peerOf(req: IncomingMessage): Peer {
  return {
    transport: 'http',
    address: req.socket.remoteAddress ?? '',
    port: req.socket.remotePort ?? 0,
  };
}

/** The JSON object body of a ping, or undefined when there is none. */
async function optionalPayload(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  if (req.method !== 'POST') return undefined;
  const value = parseJson(await readBody(req));
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError('bad-payload', 'a ping body must be a JSON object of metrics');
  }
  return value as Record<string, unknown>;
}

function replyOutcome(
  monitor: ApiBackend,
  outcome: IngestOutcome,
  nodeId: string,
  res: RequestContext['res'],
): void {
  if (outcome === 'unauthenticated' || outcome === 'clock-skew') {
    // A monitor with keys takes heartbeats over HTTP only from groups that allow them.
    sendJson(res, 401, {
      error: outcome,
      message: `this monitor accepts only authenticated heartbeats from ${JSON.stringify(nodeId)}`,
    });
    return;
  }
  if (outcome === 'rejected-limit') {
    throw new LimitError('MAX_NODES', 'the node table is full');
  }
  if (outcome === 'rejected-invalid' || outcome === 'rejected-stopped') {
    sendJson(res, outcome === 'rejected-stopped' ? 503 : 400, {
      error: outcome,
      message: `the node table refused the message (${outcome})`,
    });
    return;
  }
  const node = monitor.table.get(nodeId);
  sendJson(res, 200, { outcome, state: node?.state ?? null, status: node?.status ?? null });
}
