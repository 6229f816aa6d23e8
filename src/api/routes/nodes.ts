/**
 * The node resource: list, inspect, register and remove.
 * - GET /v1/nodes[?state=]: every node with its state, time since the last heartbeat,
 *   suspicion, last payload and status line.
 * - GET /v1/nodes/:id: one node, the detector's numbers behind its verdict and its recent
 *   transitions from the history.
 * - POST /v1/nodes {id, address?, tags?, intervalMs?}: registers an expected node (201), or
 *   updates one already known (200).
 * - DELETE /v1/nodes/:id: removes it from the table and the registry (its history stays).
 */
import { DecodeError, UnknownNodeError } from '../../core/errors.js';
import { MAX_NODE_ID_BYTES, MAX_NODE_TAGS, MAX_NODE_TAG_BYTES } from '../../core/limits.js';
import { NODE_STATES, type NodeState } from '../../membership/types.js';
import type { NodeRegistration } from '../../monitor/monitor.js';
import { checkNodeId } from '../../protocol/index.js';
import { checkIntervalMs } from '../../protocol/validate.js';
import type { ApiBackend } from '../backend.js';
import { readJsonObject, sendJson } from '../http-json.js';
import type { Router } from '../router.js';

/** Transitions shown with one node. */
const RECENT_TRANSITIONS = 20;

export function nodeRoutes(router: Router, monitor: ApiBackend): void {
  router.add(['GET', 'HEAD'], '/v1/nodes', ({ res, query }) => {
    const state = optionalState(query.get('state'));
    const all = monitor.table.list();
    const nodes = state === undefined ? all : all.filter((n) => n.state === state);
    sendJson(res, 200, { nodes, counts: monitor.table.counts() });
  });

  router.add('POST', '/v1/nodes', async ({ req, res }) => {
    const body = await readJsonObject(req);
    const { id, registration } = parseRegistration(body);
    const existed = monitor.table.get(id) !== undefined;
    const node = await monitor.register(id, registration);
    sendJson(res, existed ? 200 : 201, { node });
  });

  router.add(['GET', 'HEAD'], '/v1/nodes/:id', async ({ res, params }) => {
    const id = params['id'] as string;
    const node = monitor.table.get(id);
    if (node === undefined) throw new UnknownNodeError(id);
    const history = monitor.history;
    const transitions =
      history === null
        ? []
        : (await history.transitions({ nodeId: id, limit: RECENT_TRANSITIONS })).rows;
    sendJson(res, 200, { node, evidence: evidenceOf(monitor, id, transitions[0]), transitions });
  });

  router.add('DELETE', '/v1/nodes/:id', async ({ res, params }) => {
    const id = params['id'] as string;
    if (!(await monitor.remove(id))) throw new UnknownNodeError(id);
    sendJson(res, 200, { removed: id });
  });
}

/** The numbers behind a node's verdict now, and the evidence stored with its last transition. */
function evidenceOf(monitor: ApiBackend, id: string, last: { evidence: unknown } | undefined) {
  return { now: monitor.table.explain(id) ?? null, lastTransition: last?.evidence ?? null };
}

export function optionalState(value: string | null): NodeState | undefined {
  if (value === null || value === '') return undefined;
  if (!(NODE_STATES as readonly string[]).includes(value)) {
    throw new DecodeError('bad-field', `state must be one of ${NODE_STATES.join(', ')}`);
  }
  return value as NodeState;
}

/** Validates a registration body; throws DecodeError `bad-field` naming the field. */
export function parseRegistration(body: Record<string, unknown>): {
  id: string;
  registration: NodeRegistration;
} {
  const idProblem = checkNodeId(body['id']);
  if (idProblem) throw new DecodeError('bad-node-id', `id: ${idProblem.message}`);
  const registration: NodeRegistration = {};
  const address = body['address'];
  if (address !== undefined && address !== null) {
    if (typeof address !== 'string' || Buffer.byteLength(address) > MAX_NODE_ID_BYTES) {
      throw new DecodeError(
        'bad-field',
        `address must be a string of at most ${MAX_NODE_ID_BYTES} bytes`,
      );
    }
    registration.address = address;
  }
  const tags = body['tags'];
  if (tags !== undefined && tags !== null) {
    if (
      !Array.isArray(tags) ||
      tags.length > MAX_NODE_TAGS ||
      !tags.every(
        (t) => typeof t === 'string' && t !== '' && Buffer.byteLength(t) <= MAX_NODE_TAG_BYTES,
      )
    ) {
      throw new DecodeError(
        'bad-field',
        `tags must be at most ${MAX_NODE_TAGS} non-empty strings of at most ${MAX_NODE_TAG_BYTES} bytes`,
      );
    }
    registration.tags = tags as string[];
  }
  const intervalMs = body['intervalMs'];
  if (intervalMs !== undefined && intervalMs !== null) {
    const problem = checkIntervalMs(intervalMs);
    if (problem) throw new DecodeError(problem.reason, problem.message);
    registration.intervalMs = intervalMs as number;
  }
  return { id: body['id'] as string, registration };
}
