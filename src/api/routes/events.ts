/**
 * Transition history and the live stream.
 * - GET /v1/events?node=&state=&limit=&before=: a page of transitions, newest first, and the
 *   `nextBefore` cursor of the next (older) page (null on the last one).
 * - GET /v1/events/stream?node=&state=&include=monitor: Server-Sent Events, one per transition
 *   as it happens, `id:` its row id (and `monitor:stall` with `include=monitor`); with a
 *   `Last-Event-ID` header (or `lastEventId=` in the query) the stored ones after it first.
 */
import { DecodeError } from '../../core/errors.js';
import { MAX_HISTORY_PAGE } from '../../core/limits.js';
import type { ApiBackend } from '../backend.js';
import { sendJson } from '../http-json.js';
import type { Router } from '../router.js';
import type { SseHub } from '../sse.js';
import { optionalInt, optionalState, optionalText } from '../query.js';

/** Rows per page when the query does not say. */
const DEFAULT_PAGE = 100;

export function eventRoutes(router: Router, monitor: ApiBackend, sse: SseHub): void {
  router.add(['GET', 'HEAD'], '/v1/events', async ({ res, query }) => {
    const nodeId = optionalText(query.get('node'));
    const state = optionalState(query.get('state'));
    const limit = optionalInt(query.get('limit'), 'limit', 1, MAX_HISTORY_PAGE) ?? DEFAULT_PAGE;
    const before = optionalInt(query.get('before'), 'before', 1, Number.MAX_SAFE_INTEGER);
    const history = monitor.history;
    const page =
      history === null
        ? { rows: [], nextBefore: null }
        : await history.transitions({ nodeId, state, limit, before });
    sendJson(res, 200, { events: page.rows, nextBefore: page.nextBefore });
  });

  router.add('GET', '/v1/events/stream', async ({ req, res, query }) => {
    const include = query.get('include');
    if (include !== null && include !== 'monitor') {
      throw new DecodeError('bad-field', 'include must be "monitor"');
    }
    const header = req.headers['last-event-id'];
    const lastEventId = optionalInt(
      (Array.isArray(header) ? header[0] : header) ?? query.get('lastEventId'),
      'Last-Event-ID',
      0,
      Number.MAX_SAFE_INTEGER,
    );
    await sse.subscribe(
      res,
      {
        nodeId: optionalText(query.get('node')),
        state: optionalState(query.get('state')),
        monitorEvents: include === 'monitor',
      },
      lastEventId,
    );
  });
}
