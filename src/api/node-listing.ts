/**
 * GET /v1/nodes as a stream: one page of the node table (NodeTable.page, slot order) written as
 * one JSON document, `{"nodes":[…],"counts":{…},"nextCursor":…}`, a few hundred snapshots per
 * turn of the event loop. A page of 10 000 nodes of a table of millions, or a filter that
 * matches few of them, costs many short turns instead of one long one, so heartbeats keep being
 * read (and convictions kept honest) while it is served.
 */
import type { ServerResponse } from 'node:http';
import type { Clock } from '../core/clock.js';
import type { NodeTable } from '../membership/node-table.js';
import type { NodePageQuery } from '../membership/types.js';
import type { NodeCursors } from './node-cursor.js';

/** Snapshots serialised in one turn: about 0.5 ms of work (bench/suites/api-nodes.ts). */
export const NODES_PER_TURN = 500;
/** Slots looked at in one turn when filters match few: about 1 ms at a million nodes. */
export const SLOTS_PER_TURN = 20_000;

export interface NodeListing {
  table: NodeTable;
  clock: Clock;
  cursors: NodeCursors;
}

/** Writes the page `query` asks for to `res`, yielding between turns; ends the response. */
export async function streamNodePage(
  { table, clock, cursors }: NodeListing,
  res: ServerResponse,
  query: NodePageQuery,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.write('{"nodes":[');
  let after = query.after;
  let left = query.limit;
  let first = true;
  let next: number | null = after ?? -1;
  while (left > 0) {
    const page = table.page({
      ...query,
      after,
      limit: Math.min(left, NODES_PER_TURN),
      maxScan: SLOTS_PER_TURN,
    });
    next = page.next;
    if (page.nodes.length > 0) {
      const text = JSON.stringify(page.nodes);
      const fits = res.write(first ? text.slice(1, -1) : `,${text.slice(1, -1)}`);
      first = false;
      left -= page.nodes.length;
      if (!fits) await drained(res);
    }
    if (next === null || res.destroyed) break;
    after = next;
    if (left > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, 0));
  }
  if (res.destroyed) return;
  const nextCursor = next === null ? null : cursors.encode(next);
  res.end(
    `],"counts":${JSON.stringify(table.counts())},"nextCursor":${JSON.stringify(nextCursor)}}`,
  );
}

/** Resolves when the response can take more, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
