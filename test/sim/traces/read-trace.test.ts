import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '../../../src/core/errors.js';
import { concatTraces } from '../../../src/sim/traces/arrival-trace.js';
import { observedLastSeq } from '../../../src/sim/traces/ping-reply.js';
import { detectFormatOfLines, readTrace } from '../../../src/sim/traces/read-trace.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const fixture = (name: string): string => path.join(fixtures, name);

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'heartbeat-trace-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('readTrace on each format', () => {
  it('reads Starlink TSV with real send times, -1 as lost and the median send gap as interval', () => {
    // The pinger waited 5.1 s after lost probe 4; a periodic sender would not have: that wait is
    // taken out, and probe 4 is placed one interval after probe 3.
    expect(readTrace(fixture('starlink.tsv'))).toEqual([
      {
        name: 'starlink.tsv',
        intervalMs: 266.214,
        startWallMs: 1694478386118,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 105.5 },
          { seq: 2, sentMs: 311.45, recvMs: 411.95 },
          { seq: 3, sentMs: 644.616, recvMs: 754.116 },
          { seq: 4, sentMs: 910.831, recvMs: null },
          { seq: 5, sentMs: 1177.044, recvMs: 1227.544 },
          { seq: 6, sentMs: 1396.518, recvMs: 1451.018 },
          { seq: 7, sentMs: 1617.496, recvMs: 1671.496 },
        ],
      },
    ]);
  });

  it('keeps the pinger timeout in the Starlink timeline when asked', () => {
    expect(readTrace(fixture('starlink.tsv'), { keepProbeTimeouts: true })[0]?.arrivals).toEqual([
      { seq: 1, sentMs: 0, recvMs: 105.5 },
      { seq: 2, sentMs: 311.45, recvMs: 411.95 },
      { seq: 3, sentMs: 644.616, recvMs: 754.116 },
      { seq: 4, sentMs: 5762.708, recvMs: null },
      { seq: 5, sentMs: 5975.588, recvMs: 6026.088 },
      { seq: 6, sentMs: 6195.062, recvMs: 6249.562 },
      { seq: 7, sentMs: 6416.04, recvMs: 6470.04 },
    ]);
  });

  it('reads ping -D: send = reply − RTT, a missing seq is lost and interpolated, reordered replies placed by seq', () => {
    expect(readTrace(fixture('ping-d.txt'))).toEqual([
      {
        name: 'ping-d.txt',
        intervalMs: 13.766,
        startWallMs: 1723489209815,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 72 },
          { seq: 2, sentMs: 14.512, recvMs: 94.012 },
          { seq: 3, sentMs: 29.813, recvMs: 101.813 },
          { seq: 4, sentMs: 42.832, recvMs: null },
          { seq: 5, sentMs: 55.851, recvMs: 126.351 },
          { seq: 6, sentMs: 66.305, recvMs: 139.305 },
        ],
      },
    ]);
  });

  it('reads plain ping at 1 s: gaps give losses, a multi-second RTT stays, the final probe in flight is not a loss', () => {
    expect(readTrace(fixture('ping-plain.txt'))).toEqual([
      {
        name: 'ping-plain.txt',
        intervalMs: 1000,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 5525.5 },
          { seq: 2, sentMs: 1000, recvMs: null },
          { seq: 3, sentMs: 2000, recvMs: null },
          { seq: 4, sentMs: 3000, recvMs: null },
          { seq: 5, sentMs: 4000, recvMs: null },
          { seq: 6, sentMs: 5000, recvMs: 7970.5 },
          { seq: 7, sentMs: 6000, recvMs: 8458.5 },
          // seq 8, sent 12 ms before ping stopped, was in flight: not observed
        ],
      },
    ]);
  });

  it('honours another period for plain ping', () => {
    const [trace] = readTrace(fixture('ping-plain.txt'), { pingPeriodMs: 200 });
    expect(trace?.intervalMs).toBe(200);
    expect(trace?.arrivals[5]).toEqual({ seq: 6, sentMs: 1000, recvMs: 3970.5 });
  });

  it('ignores a last line cut short (a 64 KiB truncated log)', () => {
    expect(readTrace(fixture('ping-truncated.txt'))[0]?.arrivals).toEqual([
      { seq: 1, sentMs: 0, recvMs: 12.15 },
      { seq: 2, sentMs: 1000, recvMs: 1010.9 },
      { seq: 3, sentMs: 2000, recvMs: 2010.45 },
      { seq: 4, sentMs: 3000, recvMs: 3009.75 },
    ]);
  });

  it('reads a cellular run: US/Eastern stamps calibrated by Start time, DUP! ignored, the final unanswered probe left out', () => {
    expect(readTrace(fixture('cellular-run.out'))).toEqual([
      {
        name: 'cellular-run.out',
        intervalMs: 200,
        startWallMs: 1716823013712,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 20.45 },
          { seq: 2, sentMs: 200.366, recvMs: 216.966 },
          { seq: 3, sentMs: 401.021, recvMs: 420.671 },
          { seq: 4, sentMs: 601.795, recvMs: 622.045 },
          { seq: 5, sentMs: 802.915, recvMs: 820.615 },
          { seq: 6, sentMs: 1003.984, recvMs: 1067.484 },
          { seq: 7, sentMs: 1204.551, recvMs: 1261.551 },
          { seq: 8, sentMs: 1404.056, recvMs: 1442.656 },
          { seq: 9, sentMs: 1604.922, recvMs: 1631.722 },
          // the summary says 10 transmitted: the 10th was in flight when ping stopped
        ],
      },
    ]);
  });

  it('reads a recording: one trace per node and incarnation, appended headers, sender clock skew removed', () => {
    expect(readTrace(fixture('recording.tsv'))).toEqual([
      {
        name: 'recording.tsv#web-1/7',
        intervalMs: 1000,
        startWallMs: 1700000000995,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 5 },
          { seq: 2, sentMs: 1001, recvMs: 1007 },
          { seq: 3, sentMs: 1501, recvMs: null },
          { seq: 4, sentMs: 2001, recvMs: 2006 },
        ],
      },
      {
        name: 'recording.tsv#db-1/3',
        intervalMs: 500,
        startWallMs: 1700000001005,
        arrivals: [{ seq: 1, sentMs: 0, recvMs: 5 }],
      },
      {
        // The sender's clock ran 10 ms ahead: its fastest heartbeat is taken to have taken 0 ms.
        name: 'recording.tsv#web-1/8',
        intervalMs: 1000,
        startWallMs: 1700000010000,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 0 },
          { seq: 2, sentMs: 995, recvMs: 1000 },
        ],
      },
    ]);
  });

  it('reads recordings of senders that give no seq, send time or interval', () => {
    const file = tempFile(
      'text.rec',
      '#heartbeat-recording v1 wall_origin_ms=0\n100\tplain\t-\t-\t-\t-\n1100\tplain\t\t\t\t\n2300\tplain\t-\t-\t-\t-\n',
    );
    expect(readTrace(file)).toEqual([
      {
        name: 'text.rec#plain/-',
        intervalMs: 1100,
        startWallMs: 100,
        arrivals: [
          { seq: 1, sentMs: 0, recvMs: 0 },
          { seq: 2, sentMs: 1000, recvMs: 1000 },
          { seq: 3, sentMs: 2200, recvMs: 2200 },
        ],
      },
    ]);
  });

  it('reads macOS/BSD ping, which counts from 0 and reports timeouts on their own lines; the summary adds losses at the end but the last', () => {
    const file = tempFile(
      'mac.txt',
      [
        'PING example.com (93.184.216.34): 56 data bytes',
        '64 bytes from 93.184.216.34: icmp_seq=0 ttl=56 time=12.512 ms',
        'Request timeout for icmp_seq 1',
        '64 bytes from 93.184.216.34: icmp_seq=2 ttl=56 time=11.250 ms',
        '',
        '--- example.com ping statistics ---',
        '5 packets transmitted, 2 packets received, 60.0% packet loss',
        'round-trip min/avg/max/stddev = 11.250/11.881/12.512/0.631 ms',
        '',
      ].join('\n'),
    );
    expect(readTrace(file)[0]?.arrivals).toEqual([
      { seq: 1, sentMs: 0, recvMs: 6.256 },
      { seq: 2, sentMs: 1000, recvMs: null },
      { seq: 3, sentMs: 2000, recvMs: 2005.625 },
      { seq: 4, sentMs: 3000, recvMs: null }, // waited for, never answered: lost
      // the 5th was in flight when ping stopped: not observed
    ]);
  });

  it('unwraps icmp_seq after 65535', () => {
    const lines = [65534, 65535, 0, 2].map(
      (seq, i) => `[${1000 + i * 0.01}] 64 bytes from h: icmp_seq=${seq} ttl=63 time=10 ms`,
    );
    const file = tempFile('wrap.txt', `PING h\n${lines.join('\n')}\n`);
    const [trace] = readTrace(file, { format: 'ping-timestamped' });
    // Seq 1 … 65533 were never answered; the wrapped ones continue at 65536 and 65538.
    const tail = trace?.arrivals.slice(-5).map((a) => [a.seq, a.recvMs === null]);
    expect(tail).toEqual([
      [65534, false],
      [65535, false],
      [65536, false],
      [65537, true],
      [65538, false],
    ]);
  });

  it('concatenates runs end to end, one interval apart, with continuing seq', () => {
    const a = { name: 'a', intervalMs: 200, arrivals: [{ seq: 1, sentMs: 0, recvMs: 10 }] };
    const b = {
      name: 'b',
      intervalMs: 200,
      arrivals: [
        { seq: 1, sentMs: 0, recvMs: null },
        { seq: 2, sentMs: 201, recvMs: 230 },
      ],
    };
    expect(concatTraces('ab', [a, { name: 'empty', intervalMs: 200, arrivals: [] }, b])).toEqual({
      name: 'ab',
      intervalMs: 200,
      arrivals: [
        { seq: 1, sentMs: 0, recvMs: 10 },
        { seq: 2, sentMs: 200, recvMs: null },
        { seq: 3, sentMs: 401, recvMs: 430 },
      ],
    });
  });
});

describe('format detection and errors', () => {
  it('detects every format from its first lines', () => {
    expect(detectFormatOfLines(['#heartbeat-recording v1 wall_origin_ms=5'])).toBe('recording');
    expect(detectFormatOfLines(['1694478364.175354\t1\t97.4'])).toBe('starlink-tsv');
    expect(detectFormatOfLines(['Start time: 1716821959504'])).toBe('cellular-att');
    expect(
      detectFormatOfLines(['PING x', '[1.5] 64 bytes from x: icmp_seq=1 ttl=63 time=144 ms']),
    ).toBe('ping-timestamped');
    expect(detectFormatOfLines(['PING x', '64 bytes from x: icmp_seq=1 ttl=6 time=1 ms'])).toBe(
      'ping',
    );
    expect(detectFormatOfLines(['hello'])).toBeUndefined();
  });

  it('names file and line of unreadable input in one line', () => {
    const bad = fixture('bad.tsv');
    expect(() => readTrace(bad)).toThrow(TraceFormatError);
    expect(() => readTrace(bad)).toThrow(`${bad}:2: expected unix_ts<TAB>seq<TAB>rtt_ms`);
  });

  it('rejects unknown formats, missing files, recordings without a header, overlong lines', () => {
    const unknown = tempFile('x.txt', 'hello\nworld\n');
    expect(() => readTrace(unknown)).toThrow(`${unknown}:1: unknown trace format`);
    expect(() => readTrace('/nonexistent/trace.txt')).toThrow(/cannot open trace \(ENOENT\)/);
    const headless = tempFile('r.tsv', '1\tn\t1\t1\t1\t1\n');
    expect(() => readTrace(headless, { format: 'recording' })).toThrow(
      `${headless}:1: recording without`,
    );
    const badRow = tempFile(
      'r2.tsv',
      '#heartbeat-recording v1 wall_origin_ms=0\n1\tn\t1\tx\t1\t1\n',
    );
    expect(() => readTrace(badRow)).toThrow(`${badRow}:2: expected recv_ms<TAB>node`);
    const long = tempFile('long.txt', `${'x'.repeat(10_000)}\n`);
    expect(() => readTrace(long)).toThrow(`${long}:1: line longer than 4096 bytes`);
    for (const e of [unknown, badRow, long]) {
      try {
        readTrace(e);
      } catch (error) {
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });
});

describe('the last probe a ping log observed', () => {
  it('is the summary count, less the final probe when it has no reply', () => {
    // Linux counts from 1: 150 transmitted, the 150th answered
    expect(observedLastSeq(1, 150, 150)).toBe(150);
    // the 150th unanswered: ping stopped before its reply could come
    expect(observedLastSeq(1, 150, 149)).toBe(149);
    // only the final one is in doubt: 147 and 148 were waited for, and stay losses
    expect(observedLastSeq(1, 150, 146)).toBe(149);
    // BSD counts from 0; no reply at all
    expect(observedLastSeq(0, 7, undefined)).toBe(5);
    // no summary: the log says nothing beyond its replies
    expect(observedLastSeq(1, undefined, 10)).toBeUndefined();
  });
});
