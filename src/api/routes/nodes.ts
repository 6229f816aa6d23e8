/**
 * The node resource: list, inspect, register and remove.
 * - GET /v1/nodes?limit=&cursor=&state=&tag=&prefix=: one page of nodes (default 1000, at most
 *   MAX_NODES_PAGE) with their state, time since the last heartbeat, suspicion, last payload and
 *   status line, the counts per state, and the `nextCursor` of the next page (null on the last).
 *   Pages follow the table's slot order: every node present for the whole walk is on exactly one
 *   page (NodeTable.page); the answer is streamed (node-listing.ts).
 * - GET /v1/nodes/:id: one node, the detector's numbers behind its verdict and its recent
 *   transitions from the history.
 * - GET /v1/nodes/:id/arrivals: the wall times of its last heartbeats (at most
 *   ARRIVAL_RING_SIZE), kept from the first time they are asked for while they keep being asked
 *   for (monitor/arrival-watch.ts): the first answer is empty.
 * - POST /v1/nodes {id, address?, tags?, intervalMs?}: registers an expected node (201), or
 *   updates one already known (200).
 * - DELETE /v1/nodes/:id: removes it from the table and the registry (its history stays).
 */
import { DecodeError, UnknownNodeError } from '../../core/errors.js';
import {
  MAX_NODE_ID_BYTES,
  MAX_NODES_PAGE,
  MAX_NODE_TAGS,
  MAX_NODE_TAG_BYTES,
} from '../../core/limits.js';
import type { NodeRegistration } from '../../monitor/monitor.js';
import { checkNodeId } from '../../protocol/index.js';
import { checkIntervalMs } from '../../protocol/validate.js';
import type { ApiBackend } from '../backend.js';
import { readJsonObject, sendJson } from '../http-json.js';
import { NodeCursors } from '../node-cursor.js';
import { streamNodePage } from '../node-listing.js';
import { optionalInt, optionalState, optionalText } from '../query.js';
import type { Router } from '../router.js';

/** Transitions shown with one node. */
const RECENT_TRANSITIONS = 20;

/** Nodes per page when the query does not say. */
const DEFAULT_NODES_PAGE = 1000;

export function nodeRoutes(router: Router, monitor: ApiBackend): void {
  const cursors = new NodeCursors(monitor.clock.wallMs());
  const listing = { table: monitor.table, clock: monitor.clock, cursors };
  router.add(['GET', 'HEAD'], '/v1/nodes', async ({ res, query }) => {
    const page = {
      limit: optionalInt(query.get('limit'), 'limit', 1, MAX_NODES_PAGE) ?? DEFAULT_NODES_PAGE,
      after: cursors.decode(optionalText(query.get('cursor'))),
      state: optionalState(query.get('state')),
      tag: optionalText(query.get('tag')),
      prefix: optionalText(query.get('prefix')),
    };
    await streamNodePage(listing, res, page);
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

  router.add(['GET', 'HEAD'], '/v1/nodes/:id/arrivals', ({ res, params }) => {
    const id = params['id'] as string;
    if (monitor.table.get(id) === undefined) throw new UnknownNodeError(id);
    sendJson(res, 200, monitor.arrivals.read(id));
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
