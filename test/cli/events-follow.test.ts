/**
 * `heartbeat events --follow` against a scripted event stream (a plain HTTP server in this
 * process): when the stream ends it says so, waits 250 ms, reconnects with Last-Event-ID of the
 * last event it printed and says where it resumed; a `gap` is said on stderr; a monitor that is
 * gone for a while is retried with a doubling wait.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

type Script = (req: http.IncomingMessage, res: http.ServerResponse, attempt: number) => void;

let server: http.Server | undefined;
afterEach(async () => {
  newest = 4;
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** The newest id the scripted monitor has sent (its /v1/events says so). */
let newest = 4;

/** A server whose /v1/events gives the newest id and whose stream follows `script`. */
async function scripted(
  script: Script,
  port = 0,
): Promise<{ url: string; ids: (string | undefined)[] }> {
  const ids: (string | undefined)[] = [];
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/v1/events?')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ events: [{ id: newest }], nextBefore: null }));
      return;
    }
    ids.push(req.headers['last-event-id'] as string | undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': heartbeat event stream\nretry: 2000\n\n');
    script(req, res, ids.length);
  });
  await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ids };
}

const event = (id: number, nodeId: string) => {
  newest = Math.max(newest, id);
  return `id: ${id}\nevent: node:alive\ndata: ${JSON.stringify({ id, nodeId, from: 'unknown', to: 'alive', reason: 'heartbeat', wallMs: 0 })}\n\n`;
};

/** Runs the follower; `lines` grows as it prints, `when(pattern)` waits for a stderr line. */
function start(url: string, count: number) {
  const out: string[] = [];
  const err: string[] = [];
  const waiters = new Set<() => void>();
  const line = (to: string[]) => (l: string) => {
    to.push(l);
    for (const w of waiters) w();
  };
  const done = main(
    ['events', '--follow', '--json', '--count', String(count), '--url', url],
    { out: line(out), err: line(err) },
    {},
  ).then((code) => ({ code, ids: out.map((l) => (JSON.parse(l) as { id: number }).id), err }));
  const when = (pattern: RegExp, from: string[] = err) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!from.some((l) => pattern.test(l))) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { done, when, out };
}

const follow = (url: string, count: number) => start(url, count).done;

describe('events --follow across a lost connection', () => {
  it('reconnects after 250 ms with Last-Event-ID of the last event printed, and says so', async () => {
    const { url, ids } = await scripted((_req, res, attempt) => {
      if (attempt === 1) res.end(event(5, 'a') + event(6, 'b'));
      else res.write(event(7, 'c'));
    });
    const result = await follow(url, 3);
    expect(result.code).toBe(0);
    expect(result.ids).toEqual([5, 6, 7]);
    expect(ids).toEqual(['4', '6']);
    expect(result.err).toEqual([
      'events: connection lost, reconnecting in 250 ms (the monitor ended the stream)',
      'events: resumed after id 6',
    ]);
  });

  it('says a gap on stderr, and prints nothing for it', async () => {
    const { url } = await scripted((_req, res) => {
      res.write(
        'event: gap\ndata: {"afterId":4,"resumeId":90,"reason":"older transitions were pruned"}\n\n',
      );
      res.write(event(90, 'a'));
    });
    const result = await follow(url, 1);
    expect(result.ids).toEqual([90]);
    expect(result.err).toEqual([
      'events: gap: transitions after id 4 could not be replayed (older transitions were pruned); ' +
        'the stream goes on from id 90 (heartbeat events --limit N shows the stored ones)',
    ]);
  });

  it('retries a monitor that is gone with a doubling wait, then resumes', async () => {
    const first = await scripted((_req, res) => res.write(event(5, 'a')));
    const port = Number(new URL(first.url).port);
    const following = start(first.url, 2);
    await following.when(/"id":5/, following.out);
    // The monitor goes away, and is back only after two failed retries (250 + 500 ms).
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await following.when(/still no connection, reconnecting in 1 s/);
    const second = await scripted((_req, res) => res.write(event(6, 'b')), port);
    const result = await following.done;
    expect(result.ids).toEqual([5, 6]);
    expect(second.ids).toEqual(['5']);
    expect(result.err[0]).toMatch(/^events: connection lost, reconnecting in 250 ms \(.+\)$/);
    expect(result.err[1]).toMatch(
      /^events: still no connection, reconnecting in 500 ms \(cannot reach the monitor at .*ECONNREFUSED\)$/,
    );
    expect(result.err[2]).toMatch(/^events: still no connection, reconnecting in 1 s/);
    expect(result.err.at(-1)).toBe('events: resumed after id 5');
  });
});
