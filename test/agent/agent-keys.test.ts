/**
 * An agent with keys signs every message (binary v2) with its node's signing key, over real UDP
 * and TCP sockets; a key promoted while it runs signs the next message; a configuration it
 * cannot sign for is refused before anything is sent.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { decodeBinary } from '../../src/protocol/binary.js';
import { Keyring, type KeySpec } from '../../src/protocol/keyring.js';
import type { Message } from '../../src/protocol/message.js';
import { StreamDecoder } from '../../src/protocol/stream-decoder.js';

const K1: KeySpec = { id: 1, secret: Buffer.alloc(32, 1), primary: true };
const K2: KeySpec = { id: 2, secret: Buffer.alloc(32, 2) };
const OWN: KeySpec = { id: 7, secret: Buffer.alloc(32, 7), node: 'db-1', primary: true };
/** What the monitor holds: every key. */
const monitorKeys = new Keyring([K1, K2, OWN]);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  // Last made, first undone: agents stop before their receivers close.
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function udpReceiver(): Promise<{ port: number; got: Message[] }> {
  const socket = dgram.createSocket('udp4');
  const got: Message[] = [];
  socket.on('message', (buf) => got.push(decodeBinary(buf, monitorKeys)));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, got };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise<void>((resolve) => setImmediate(resolve));
}

function agent(keyring: Keyring, nodeId: string, target: string) {
  const clock = new ManualClock({ wallStartMs: 1_700_000_000_000 });
  const a = new Agent(
    { clock, keyring },
    { nodeId, targets: [target], intervalMs: 1000, jitterRatio: 0, providers: [] },
  );
  cleanups.push(() => a.stop({ leave: false }));
  return { clock, agent: a };
}

describe('an agent with keys', () => {
  it('signs over UDP with the primary, and with a newly promoted key from the next message on', async () => {
    const { port, got } = await udpReceiver();
    const keyring = new Keyring([K1]);
    const { clock, agent: a } = agent(keyring, 'web-1', `udp://127.0.0.1:${port}`);
    a.start();
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ nodeId: 'web-1', seq: 1, authKeyId: 1 });
    keyring.add(K2);
    keyring.use(2);
    keyring.remove(1);
    clock.advance(1000);
    await until(() => got.length === 2);
    expect(got[1]).toMatchObject({ seq: 2, authKeyId: 2 });
  });

  it('signs over TCP, and a node with a key of its own signs with that one', async () => {
    const got: Message[] = [];
    const server = net.createServer((s) => {
      const decoder = new StreamDecoder(monitorKeys);
      s.on('data', (chunk) => got.push(...(decoder.push(chunk) as Message[])));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;
    const { agent: a } = agent(new Keyring([K1, OWN]), 'db-1', `tcp://127.0.0.1:${port}`);
    a.start();
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ nodeId: 'db-1', authKeyId: 7 });
  });

  it('refuses keys with no primary for its node, and HTTP targets, before sending anything', () => {
    expect(() =>
      agent(new Keyring([{ ...K1, primary: false }]), 'web-1', 'udp://127.0.0.1:1'),
    ).toThrow(/no primary key for node "web-1"/);
    expect(() => agent(new Keyring([OWN, K1]), 'db-1', 'http://127.0.0.1:1')).toThrow(ConfigError);
    expect(() => agent(new Keyring([K1]), 'web-1', 'http://127.0.0.1:1')).toThrow(
      /heartbeats over HTTP cannot be signed; with keys use udp:\/\/ or tcp:\/\//,
    );
  });
});
