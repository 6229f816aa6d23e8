/** The sender contract (sender-compliance.ts) for every sender: UDP, TCP, HTTP and memory. */
import { SystemClock } from '../../src/core/clock.js';
import { createSender } from '../../src/transport/create-sender.js';
import { MemoryNetwork } from '../../src/transport/memory-network.js';
import { MemorySender } from '../../src/transport/memory-sender.js';
import { parseTarget } from '../../src/transport/target.js';
import {
  Inbox,
  freePort,
  httpReceiver,
  tcpReceiver,
  udpReceiver,
  type HttpReceiver,
  type TcpReceiver,
  type UdpReceiver,
} from '../agent/receivers.js';
import { senderCompliance, type SenderHarness } from './sender-compliance.js';

const clock = new SystemClock();

/** A harness for a socket sender: the receiver to start, and the URL scheme to send with. */
function socketHarness(
  scheme: 'udp' | 'tcp' | 'http',
  start: () => Promise<UdpReceiver | TcpReceiver | HttpReceiver>,
  host = '127.0.0.1',
): SenderHarness {
  const sender = (url: string) =>
    createSender({ clock }, parseTarget(url), {
      tcp: { initialBackoffMs: 10, maxBackoffMs: 50, closeTimeoutMs: 1000 },
      http: { timeoutMs: 2000 },
    });
  return {
    async reachable() {
      const receiver = await start();
      const under = sender(`${scheme}://${host}:${receiver.port}`);
      return { sender: under, inbox: receiver.inbox, close: () => receiver.close() };
    },
    async unreachable() {
      // UDP is never refused on an unconnected socket: a name that cannot resolve stands in.
      if (scheme === 'udp') return sender('udp://no-such-host.invalid:9');
      return sender(`${scheme}://127.0.0.1:${await freePort()}`);
    },
  };
}

senderCompliance('UDP', socketHarness('udp', udpReceiver));
// By name, a message can wait for the address lookup: the contract holds meanwhile too.
senderCompliance('UDP by host name', socketHarness('udp', udpReceiver, 'localhost'));
senderCompliance(
  'TCP',
  socketHarness('tcp', () => tcpReceiver()),
);
senderCompliance('HTTP', socketHarness('http', httpReceiver));

senderCompliance('memory', {
  reachable() {
    const network = new MemoryNetwork({ clock });
    const inbox = new Inbox();
    const unlisten = network.listen('monitor:9000', (message) => inbox.push(message));
    const target = parseTarget('udp://monitor:9000');
    const sender = new MemorySender({ clock, network }, target, { from: 'agent' });
    return Promise.resolve({
      sender,
      inbox,
      close: () => Promise.resolve(unlisten()),
    });
  },
  unreachable() {
    const network = new MemoryNetwork({ clock });
    const target = parseTarget('udp://monitor:9000');
    return Promise.resolve(new MemorySender({ clock, network }, target, { from: 'agent' }));
  },
});
