/**
 * Real monitors-in-miniature for the agent's and senders' tests: a UDP socket, a TCP server and
 * an HTTP server on 127.0.0.1 (port 0) that decode what arrives with the protocol module and let
 * a test wait for a message that matches, never for a fixed time.
 */
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { DecodeError } from '../../src/core/errors.js';
import { StreamDecoder, decodeBinary, decodeJson, type Message } from '../../src/protocol/index.js';

/** Collects messages and resolves waiters whose predicate a message satisfies. */
export class Inbox {
  readonly messages: Message[] = [];
  readonly errors: unknown[] = [];
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  push(message: Message): void {
    this.messages.push(message);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(message)) return true;
      w.resolve(message);
      return false;
    });
  }

  /**
   * Resolves with the first message (already received or still to come) that matches. Rejects
   * after `failAfterMs` with what did arrive, so a broken sender fails the test with a reason
   * instead of hanging it (the bound is a failure deadline, not a wait).
   */
  waitFor(match: (m: Message) => boolean = () => true, failAfterMs = 10_000): Promise<Message> {
    const found = this.messages.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.match !== match);
        reject(
          new Error(
            `no matching message within ${failAfterMs} ms; got ${JSON.stringify(this.messages.slice(-5))}, errors ${String(this.errors)}`,
          ),
        );
      }, failAfterMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Resolves once `count` messages have arrived in all. */
  async waitForCount(count: number): Promise<Message[]> {
    await this.waitFor(() => this.messages.length >= count);
    return this.messages.slice(0, count);
  }
}

export interface UdpReceiver {
  port: number;
  inbox: Inbox;
  close(): Promise<void>;
}

export async function udpReceiver(): Promise<UdpReceiver> {
  const socket = dgram.createSocket('udp4');
  const inbox = new Inbox();
  socket.on('message', (data) => {
    try {
      inbox.push(decodeBinary(data));
    } catch (error) {
      inbox.errors.push(error);
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    inbox,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

export interface TcpReceiver {
  port: number;
  inbox: Inbox;
  /** Connections accepted so far. */
  connections: number;
  /** Resolves when the next connection is accepted. */
  nextConnection(): Promise<net.Socket>;
  /** Stops listening and drops every connection (a monitor going away). */
  close(): Promise<void>;
}

/** A TCP server that decodes binary frames; `port` 0 picks a free one. */
export async function tcpReceiver(port = 0, inbox = new Inbox()): Promise<TcpReceiver> {
  const sockets = new Set<net.Socket>();
  const connectionWaiters: ((s: net.Socket) => void)[] = [];
  const receiver = { connections: 0 } as TcpReceiver;
  const server = net.createServer((socket) => {
    receiver.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const decoder = new StreamDecoder();
    socket.on('data', (chunk) => {
      for (const item of decoder.push(chunk)) {
        if (item instanceof DecodeError) inbox.errors.push(item);
        else inbox.push(item);
      }
    });
    for (const wake of connectionWaiters.splice(0)) wake(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    port: (server.address() as AddressInfo).port,
    inbox,
    nextConnection: () => new Promise<net.Socket>((resolve) => connectionWaiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}

export interface HttpReceiver {
  port: number;
  inbox: Inbox;
  /** Request paths in arrival order. */
  paths: string[];
  /** Status the next requests are answered with. */
  status: number;
  /** When set, requests are held and never answered (a hung monitor). */
  hang: boolean;
  close(): Promise<void>;
}

export async function httpReceiver(): Promise<HttpReceiver> {
  const inbox = new Inbox();
  const receiver = { paths: [] as string[], status: 202, hang: false } as HttpReceiver;
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    receiver.paths.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        inbox.push(decodeJson(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        inbox.errors.push(error);
      }
      if (receiver.hang) {
        held.push(res);
        return;
      }
      res.writeHead(receiver.status, { 'content-type': 'application/json' });
      res.end(receiver.status < 300 ? '{"ok":true}' : '{"error":"nope"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    port: (server.address() as AddressInfo).port,
    inbox,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A loopback port nobody listens on (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves with the first event `name` that `emitter` emits and `match` accepts. */
export function nextEvent<T>(
  on: (listener: (event: T) => void) => () => void,
  match: (event: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve) => {
    const off = on((event) => {
      if (!match(event)) return;
      off();
      resolve(event);
    });
  });
}
