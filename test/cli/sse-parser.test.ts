/** The CLI's Server-Sent Events reader: events from chunks cut anywhere, as EventSource reads them. */
import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/cli/sse-parser.js';

const STREAM =
  ': heartbeat event stream\nretry: 2000\n\n' +
  'id: 41\nevent: node:dead\ndata: {"nodeId":"a"}\n\n' +
  ': keepalive 1795422222000\n\n' +
  'event: gap\ndata: {"afterId":41,\ndata: "resumeId":null}\n\n' +
  'data: plain\r\n\r\n';

const EXPECTED = [
  { id: '41', event: 'node:dead', data: '{"nodeId":"a"}' },
  { id: null, event: 'gap', data: '{"afterId":41,\n"resumeId":null}' },
  { id: null, event: 'message', data: 'plain' },
];

describe('SseParser', () => {
  it('reads id, event and data lines; skips comments and retry', () => {
    expect(new SseParser().push(STREAM)).toEqual(EXPECTED);
  });

  it('gives the same events however the text is cut into chunks', () => {
    for (const size of [1, 2, 3, 7, 16]) {
      const parser = new SseParser();
      const frames = [];
      for (let i = 0; i < STREAM.length; i += size)
        frames.push(...parser.push(STREAM.slice(i, i + size)));
      expect(frames).toEqual(EXPECTED);
    }
  });

  it('holds an event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\nevent: node:alive\ndata: {}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '1', event: 'node:alive', data: '{}' }]);
  });
});
