/**
 * Sends each message as one binary v1 datagram: no connection, no retries, no queue. A lost
 * heartbeat is what the monitor's detector is built to tolerate, and the next one is an interval
 * away. The host name is resolved once (and again after a send error), so a DNS hiccup costs one
 * heartbeat, not a lookup per send.
 */
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import type { Message } from '../protocol/message.js';
import { BaseSender } from './base-sender.js';
import { errorText, type SenderComponents } from './sender.js';
import type { SocketTarget } from './target.js';

interface Resolved {
  address: string;
  family: 4 | 6;
}

export class UdpSender extends BaseSender<SocketTarget> {
  private socket: dgram.Socket | undefined;
  private socketFamily: 4 | 6 | undefined;
  private resolved: Resolved | undefined;
  private resolving: Promise<Resolved | undefined> | undefined;
  /** The newest message waiting for the address lookup, encoded; older ones are replaced. */
  private pending: { msg: Message; bytes: Buffer } | undefined;
  /** Datagrams handed to the socket whose callback has not run yet. */
  private inFlight = 0;
  private drained: (() => void) | undefined;

  constructor(components: SenderComponents, target: SocketTarget) {
    super(components, target);
    const family = net.isIP(target.host);
    if (family === 4 || family === 6) this.resolved = { address: target.host, family };
  }

  send(msg: Message): void {
    const bytes = this.admit(msg, this.encodeFrame);
    if (bytes === undefined) return;
    if (this.resolved !== undefined) {
      this.transmit(this.resolved, msg, bytes);
      return;
    }
    if (this.pending !== undefined) this.replaced();
    this.pending = { msg, bytes };
    void this.resolve().then((resolved) => {
      const waiting = this.pending;
      this.pending = undefined;
      if (waiting === undefined || resolved === undefined) return;
      this.transmit(resolved, waiting.msg, waiting.bytes);
    });
  }

  protected async shutdown(): Promise<void> {
    // A message that waits for the lookup still goes out first (a leave, typically).
    if (this.resolving !== undefined) await this.resolving;
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private resolve(): Promise<Resolved | undefined> {
    this.resolving ??= resolveHost(this.target.host).then(
      (resolved) => {
        this.resolving = undefined;
        this.resolved = resolved;
        return resolved;
      },
      (error: unknown) => {
        this.resolving = undefined;
        const waiting = this.pending;
        this.pending = undefined;
        const text = `cannot resolve ${this.target.host}: ${errorText(error)}`;
        this.fail('resolve', text, waiting?.msg, error);
        return undefined;
      },
    );
    return this.resolving;
  }

  private transmit(resolved: Resolved, msg: Message, bytes: Buffer): void {
    const socket = this.socketFor(resolved.family);
    this.inFlight++;
    socket.send(bytes, this.target.port, resolved.address, (error) => {
      this.inFlight--;
      if (error) {
        // Look the name up again next time: the address may have moved.
        if (!net.isIP(this.target.host)) this.resolved = undefined;
        this.fail('socket', error.message, msg, error);
      } else {
        this.delivered(msg, bytes.length);
      }
      if (this.inFlight === 0) this.drained?.();
    });
  }

  private socketFor(family: 4 | 6): dgram.Socket {
    if (this.socket !== undefined && this.socketFamily === family) return this.socket;
    this.socket?.close();
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    // Asynchronous socket errors (ICMP unreachable on some systems) are counted, never thrown.
    socket.on('error', (error) => this.fail('socket', error.message, undefined, error));
    // The agent's timer keeps the process alive while it runs; the socket alone should not.
    socket.unref();
    this.socket = socket;
    this.socketFamily = family;
    return socket;
  }
}

async function resolveHost(host: string): Promise<Resolved> {
  const family = net.isIP(host);
  if (family === 4 || family === 6) return { address: host, family };
  const found = await lookup(host);
  return { address: found.address, family: found.family === 6 ? 6 : 4 };
}
