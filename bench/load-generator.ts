/**
 * Load generator for the `ingest` benchmark, run as its own process so it does not share the
 * monitor's event loop: sends `count` heartbeats from `nodes` node ids (each with its own
 * increasing seq, so every one is accepted) over one transport, as fast as the transport lets
 * it, and stops at `count` or after `maxMs`, whichever comes first. Prints one JSON line:
 * `{"sent": n, "elapsedMs": t}`. With a key file, binary frames are signed (binary v2) with its
 * primary key, as an agent with keys sends them. Binary frames are all made before the first is
 * sent, so the generator's encoding (and signing) does not limit the rate the monitor is
 * measured at.
 *
 * Usage: node --import tsx bench/load-generator.ts <udp|tcp|http> <port> <count> <nodes> <maxMs>
 *        [key-file]
 */
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { readKeyFile } from '../src/config/key-file.js';
import { encodeBinary } from '../src/protocol/binary.js';
import { Keyring } from '../src/protocol/keyring.js';
import type { Message } from '../src/protocol/message.js';

const [transport, portText, countText, nodesText, maxMsText, keyFile] = process.argv.slice(2);
const signingKey =
  keyFile === undefined ? undefined : new Keyring(readKeyFile(keyFile)).signingKey('node-000000');
/** The frame of a message: binary v1, or v2 under the key file's primary. */
const frame = (m: Message): Buffer => encodeBinary(m, signingKey);
const port = Number(portText);
const count = Number(countText);
const nodes = Number(nodesText);
const maxMs = Number(maxMsText);
if (!['udp', 'tcp', 'http'].includes(transport ?? '') || !(port > 0) || !(count > 0)) {
  console.error('usage: load-generator.ts <udp|tcp|http> <port> <count> <nodes> <maxMs>');
  process.exit(2);
}

const seqs = new Uint32Array(nodes);
/** The i-th heartbeat: node ids of one width, so every binary frame has the same size. */
export function message(i: number): Message {
  const n = i % nodes;
  seqs[n] = (seqs[n] as number) + 1;
  return {
    type: 'heartbeat',
    nodeId: `node-${String(n).padStart(6, '0')}`,
    incarnation: 1,
    seq: seqs[n] as number,
    // Now: a monitor with keys refuses authenticated messages sent too far from its clock.
    sentAtMs: Date.now(),
    intervalMs: 1000,
  };
}

/** Every binary frame of the run, made before it starts (JSON bodies are made as they go). */
const frames: Buffer[] =
  transport === 'http' ? [] : Array.from({ length: count }, (_, i) => frame(message(i)));

const start = performance.now();
const timeUp = () => performance.now() - start > maxMs;
let sent = 0;

async function udp(): Promise<void> {
  const socket = dgram.createSocket('udp4');
  socket.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  // Batches of sends, then a turn of the event loop so the kernel can drain the socket.
  while (sent < count && !timeUp()) {
    const batch = Math.min(256, count - sent);
    await Promise.all(
      Array.from(
        { length: batch },
        () =>
          new Promise<void>((resolve) => socket.send(frames[sent++] as Buffer, () => resolve())),
      ),
    );
  }
  socket.close();
}

async function tcp(): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  while (sent < count && !timeUp()) {
    const batch = Math.min(512, count - sent);
    const chunk = Buffer.concat(frames.slice(sent, sent + batch));
    sent += batch;
    if (!socket.write(chunk)) {
      await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
    }
  }
  await new Promise<void>((resolve) => socket.end(() => resolve()));
}

async function httpLoad(): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/heartbeat',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.on('socket', (socket) => socket.setNoDelay(true));
      req.end(body);
    });
  const worker = async () => {
    while (sent < count && !timeUp()) {
      const m = message(sent++);
      await post(JSON.stringify(m));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  agent.destroy();
}

await (transport === 'udp' ? udp() : transport === 'tcp' ? tcp() : httpLoad());
console.log(JSON.stringify({ sent, elapsedMs: performance.now() - start }));
