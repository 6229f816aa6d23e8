import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import type { ListenerFactory, ListenerSink, Peer } from '../../src/transport/listener.js';
import { tcpListener } from '../../src/transport/tcp-listener.js';
import { udpListener } from '../../src/transport/udp-listener.js';
import { connectTcp, sendUdp, until } from '../monitor/helpers.js';

/** A sink that records the node ids and peers it is given. */
function recordingSink(): ListenerSink & { got: [string, Peer][] } {
  const got: [string, Peer][] = [];
  return { got, onMessage: (m, from) => got.push([m.nodeId, from]), onReject: () => {} };
}

describe('listener factories', () => {
  it.each<[string, ListenerFactory, (port: number) => Promise<void>]>([
    ['udp', udpListener({ host: '127.0.0.1' }), (port) => sendUdp(port, 'via-factory\n')],
    [
      'tcp',
      tcpListener({ idleTimeoutMs: 60_000 }),
      async (port) => {
        const socket = await connectTcp(port);
        socket.end('via-factory\n');
      },
    ],
  ])(
    '%s: makes a listener that binds, reports with its transport, and stops',
    async (name, factory, send) => {
      const sink = recordingSink();
      const listener = factory({ clock: new SystemClock(), sink });
      expect(listener.transport).toBe(name);
      const port = await listener.start();
      expect(port).toBeGreaterThan(0);
      await send(port as number);
      await until(() => sink.got.length === 1);
      expect(sink.got[0]?.[0]).toBe('via-factory');
      expect(sink.got[0]?.[1].transport).toBe(name);
      await listener.stop();
      await listener.stop();
    },
  );
});
