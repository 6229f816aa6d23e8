/**
 * The kernel's view of a UDP listener: the /proc parsers on fixture text, and on a real socket on
 * loopback that a flood into a listener whose handler is blocked makes the kernel drop datagrams,
 * and that `kernelStats()` says so.
 */
import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import {
  cappedBufferAdvice,
  parseProcNetUdp,
  parseSnmp6Udp,
  parseSnmpUdp,
  readUdpKernelStats,
  receiveBufferOf,
} from '../../src/transport/udp-kernel-stats.js';
import { UdpListener } from '../../src/transport/udp-listener.js';
import { flooder } from './flooder.js';

const fixtures = fileURLToPath(new URL('./fixtures/proc', import.meta.url));
const fixture = (path: string) => readFileSync(`${fixtures}/${path}`, 'utf8');

describe('the /proc parsers', () => {
  it('reads port, receive queue and drops of every socket of /proc/net/udp and udp6', () => {
    expect(parseProcNetUdp(fixture('net/udp'))).toEqual([
      { localPort: 53, rxQueueBytes: 0, drops: 0 },
      { localPort: 9000, rxQueueBytes: 0x2200, drops: 997 },
      { localPort: 9001, rxQueueBytes: 0, drops: 3 },
    ]);
    expect(parseProcNetUdp(fixture('net/udp6'))).toEqual([
      { localPort: 9000, rxQueueBytes: 0x100, drops: 5 },
      { localPort: 5353, rxQueueBytes: 0, drops: 0 },
    ]);
    expect(parseProcNetUdp('')).toEqual([]);
    expect(parseProcNetUdp('sl local_address rem_address st\n 0: 0100007F:0035 x 07\n')).toEqual(
      [],
    );
  });

  it('reads the Udp counters of /proc/net/snmp (not UdpLite) and /proc/net/snmp6', () => {
    expect(parseSnmpUdp(fixture('net/snmp'))).toEqual({ inErrors: 1002, rcvbufErrors: 997 });
    expect(parseSnmp6Udp(fixture('net/snmp6'))).toEqual({ inErrors: 6, rcvbufErrors: 5 });
    expect(parseSnmpUdp('Ip: Forwarding\nIp: 1\n')).toBeNull();
    expect(parseSnmp6Udp('Ip6InReceives 4\n')).toBeNull();
  });

  it('says a receive buffer was capped when more was asked for than rmem_max allows', () => {
    // Linux grants twice min(requested, rmem_max).
    expect(receiveBufferOf(8 << 20, 8 << 20, 4 << 20)).toEqual({
      requestedBytes: 8 << 20,
      grantedBytes: 8 << 20,
      rmemMaxBytes: 4 << 20,
      capped: true,
    });
    expect(receiveBufferOf(4 << 20, 8 << 20, 4 << 20).capped).toBe(false);
    expect(receiveBufferOf(4096, 8192, 212_992).capped).toBe(false);
    // Where rmem_max cannot be read, a grant below the request is the sign.
    expect(receiveBufferOf(4 << 20, 1 << 20, null).capped).toBe(true);
    expect(receiveBufferOf(4 << 20, 4 << 20, null).capped).toBe(false);
  });

  it('names the sysctl to raise and the figures when the buffer was capped', () => {
    const advice = cappedBufferAdvice(receiveBufferOf(8 << 20, 8 << 20, 4 << 20));
    expect(advice).toContain('net.core.rmem_max (4194304)');
    expect(advice).toContain('asked for 8388608 bytes, got 8388608');
    expect(advice).toContain('sysctl -w net.core.rmem_max=8388608');
    expect(cappedBufferAdvice(receiveBufferOf(4 << 20, 1 << 20, null))).toContain(
      'capped by the system',
    );
  });

  it('sums the rows of the listening port over udp and udp6; unreadable files give null', async () => {
    const buffer = { requestedBytes: 8 << 20, grantedBytes: 8 << 20 };
    expect(await readUdpKernelStats(9000, buffer, fixtures)).toEqual({
      port: 9000,
      drops: 997 + 5,
      rxQueueBytes: 0x2200 + 0x100,
      system: {
        udp: { inErrors: 1002, rcvbufErrors: 997 },
        udp6: { inErrors: 6, rcvbufErrors: 5 },
      },
      receiveBuffer: {
        requestedBytes: 8 << 20,
        grantedBytes: 8 << 20,
        rmemMaxBytes: 4 << 20,
        capped: true,
      },
    });
    expect((await readUdpKernelStats(9999, buffer, fixtures)).drops).toBeNull();
    const nowhere = await readUdpKernelStats(9000, buffer, `${fixtures}/no-such-dir`);
    expect(nowhere).toMatchObject({
      drops: null,
      rxQueueBytes: null,
      system: { udp: null, udp6: null },
      receiveBuffer: { rmemMaxBytes: null, capped: false },
    });
  });
});

const linux = existsSync('/proc/net/udp');

describe('UdpListener.kernelStats', () => {
  let listener: UdpListener | undefined;
  afterEach(async () => {
    await listener?.stop();
    listener = undefined;
  });

  it('refuses a receive buffer that is not a positive whole number', () => {
    const components = { clock: new SystemClock(), sink: { onMessage() {}, onReject() {} } };
    expect(() => new UdpListener(components, { recvBufferBytes: 0 })).toThrow(ConfigError);
    expect(() => new UdpListener(components, { recvBufferBytes: 1.5 })).toThrow(ConfigError);
  });

  it('is null before start; on Linux reports the buffer granted as not capped', async () => {
    const sink = { onMessage() {}, onReject() {} };
    listener = new UdpListener({ clock: new SystemClock(), sink }, { recvBufferBytes: 65_536 });
    expect(await listener.kernelStats()).toBeNull();
    const port = await listener.start();
    const stats = await listener.kernelStats();
    expect(stats?.port).toBe(port);
    expect(stats?.receiveBuffer.requestedBytes).toBe(65_536);
    expect(stats?.receiveBuffer.grantedBytes).toBeGreaterThanOrEqual(65_536);
    if (linux) {
      expect(stats?.drops).toBe(0);
      expect(stats?.receiveBuffer.capped).toBe(
        (stats?.receiveBuffer.rmemMaxBytes ?? Infinity) < 65_536,
      );
    }
  });

  it.runIf(linux)(
    'counts the datagrams the kernel drops while the handler is blocked (a small buffer)',
    async () => {
      let received = 0;
      const first = { seen: () => {} };
      const sink = {
        onMessage() {
          if (received++ > 0) return;
          // The first datagram: let the flood go, then hold the event loop for 200 ms, as a
          // monitor in a long GC pause or a blocking call would.
          first.seen();
          const until = performance.now() + 200;
          while (performance.now() < until);
        },
        onReject() {},
      };
      listener = new UdpListener({ clock: new SystemClock(), sink }, { recvBufferBytes: 4096 });
      const port = await listener.start();
      const before = await listener.kernelStats();
      expect(before?.drops).toBe(0);
      const flood = flooder(port, 1000);
      first.seen = () => flood.go();
      const trigger = dgram.createSocket('udp4');
      await new Promise<void>((resolve) =>
        trigger.send('first\n', port, '127.0.0.1', () => resolve()),
      );
      trigger.close();
      const sent = await flood.done;
      const after = await listener.kernelStats();
      const drops = after?.drops ?? 0;
      expect(drops).toBeGreaterThan(0);
      expect(drops).toBeLessThanOrEqual(sent);
      expect(after?.receiveBuffer.grantedBytes).toBeLessThan(16_384);
      const system = after?.system.udp;
      if (system != null && before?.system.udp != null) {
        expect(system.rcvbufErrors - before.system.udp.rcvbufErrors).toBeGreaterThanOrEqual(drops);
        expect(system.inErrors - before.system.udp.inErrors).toBeGreaterThanOrEqual(drops);
      }
    },
  );
});
