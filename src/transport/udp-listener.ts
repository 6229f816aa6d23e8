/**
 * The monitor's UDP heartbeat listener: one datagram is one message. It decodes, never throws on
 * bad input, and reports each datagram to a sink as a message or as a rejection with a reason.
 *
 * Which decoder a datagram goes to (decided here, documented in docs/API.md):
 * - larger than MAX_DATAGRAM_BYTES → rejected `too-long` without decoding;
 * - first byte 0xFE (the binary magic, which never occurs in UTF-8) → binary v1 or v2
 *   (`decodeBinary`, v2 checked against the monitor's keys);
 * - first byte `{` → JSON (`decodeJson`, which refuses invalid UTF-8 as `bad-json`);
 * - valid UTF-8 with no control byte but tab, CR and LF → the plain text line
 *   (`decodeTextLine`), so `echo node1 | nc -u host port` works;
 * - anything else → binary v1, which rejects it with the reason it finds (`bad-magic`, …).
 */
import { isUtf8 } from 'node:buffer';
import dgram from 'node:dgram';
import { ConfigError, DecodeError, StateError } from '../core/errors.js';
import { MAX_DATAGRAM_BYTES } from '../core/limits.js';
import type { Message } from '../protocol/message.js';
import { MAGIC_0, decodeBinary } from '../protocol/binary.js';
import type { KeyLookup } from '../protocol/keyring.js';
import { decodeJson } from '../protocol/json.js';
import { decodeTextLine } from '../protocol/text.js';
import { bindOrFail } from './bind.js';
import type {
  HeartbeatListener,
  ListenerComponents,
  ListenerFactory,
  ListenerSink,
  Peer,
  RejectReason,
} from './listener.js';
import { readUdpKernelStats, type UdpKernelStats } from './udp-kernel-stats.js';

export interface UdpListenerOptions {
  /** Address to bind. @default '127.0.0.1' — listening on every interface is an explicit choice. */
  host?: string;
  /** Port to bind; 0 picks a free one (read it from `start()`). @default 0 */
  port?: number;
  /**
   * The socket's receive buffer, bytes: what the kernel holds for the monitor while it is busy
   * (a burst of heartbeats, a GC pause). Linux caps it at net.core.rmem_max; `kernelStats()`
   * tells whether it was.
   * @default DEFAULT_UDP_RECV_BUFFER_BYTES (4 MiB): about 50 000 binary heartbeats, a few seconds
   * of a large fleet, far above Linux's default of 208 KiB.
   */
  recvBufferBytes?: number;
}

export const DEFAULT_UDP_RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/** Bytes that may appear in a text datagram: printable ASCII, UTF-8 continuation, TAB, LF, CR. */
function isTextByte(b: number): boolean {
  return b >= 0x20 ? b !== 0x7f : b === 0x09 || b === 0x0a || b === 0x0d;
}

/** Decodes one datagram by the rules above (v2 frames against `keys`); throws only DecodeError. */
export function decodeDatagram(buf: Buffer, keys?: KeyLookup): Message {
  if (buf.length > MAX_DATAGRAM_BYTES) {
    throw new DecodeError('too-long', `datagram of ${buf.length} bytes > ${MAX_DATAGRAM_BYTES}`);
  }
  if (buf.length === 0) throw new DecodeError('too-short', 'empty datagram');
  const first = buf[0];
  if (first === MAGIC_0) return decodeBinary(buf, keys);
  if (first === 0x7b) return decodeJson(buf);
  if (buf.every(isTextByte) && isUtf8(buf)) return decodeTextLine(buf.toString('utf8'));
  return decodeBinary(buf);
}

/** Turns whatever a decoder threw into a reject reason. */
export function rejectReasonOf(error: unknown): RejectReason {
  return error instanceof DecodeError ? error.reason : 'internal';
}

/** A factory of UDP listeners with these settings, for the monitor. */
export function udpListener(init: UdpListenerOptions = {}): ListenerFactory {
  return (components) => new UdpListener(components, init);
}

export class UdpListener implements HeartbeatListener {
  readonly transport = 'udp' as const;
  private readonly sink: ListenerSink;
  private readonly keys: KeyLookup | undefined;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly recvBufferBytes: number;
  private socket: dgram.Socket | null = null;
  private boundPort: number | null = null;

  constructor(components: ListenerComponents, init: UdpListenerOptions = {}) {
    this.sink = components.sink;
    this.keys = components.keys;
    this.host = init.host ?? '127.0.0.1';
    this.requestedPort = init.port ?? 0;
    this.recvBufferBytes = init.recvBufferBytes ?? DEFAULT_UDP_RECV_BUFFER_BYTES;
    if (!Number.isSafeInteger(this.recvBufferBytes) || this.recvBufferBytes < 1) {
      throw new ConfigError(`recvBufferBytes must be a positive whole number of bytes`);
    }
  }

  /** The bound port, or null before `start()` and after `stop()`. */
  get port(): number | null {
    return this.boundPort;
  }

  /** Binds the socket; rejects with AddressInUseError `port N/udp is in use` when it is taken. */
  async start(): Promise<number> {
    if (this.socket !== null) throw new StateError('UDP listener', 'running', 'start');
    const type = this.host.includes(':') ? 'udp6' : 'udp4';
    const socket = dgram.createSocket({ type, recvBufferSize: this.recvBufferBytes });
    const where = { host: this.host, port: this.requestedPort, what: 'udp' };
    await bindOrFail(socket, (done) => socket.bind(where.port, where.host, done), where);
    // After binding, socket errors (e.g. ICMP-triggered) are not fatal to the monitor.
    socket.on('error', () => {});
    socket.on('message', (buf, rinfo) => this.onDatagram(buf, rinfo));
    this.socket = socket;
    this.boundPort = socket.address().port;
    return this.boundPort;
  }

  /**
   * What the kernel knows of this socket: datagrams it dropped (receive buffer full), bytes
   * waiting, the system-wide UDP error counters, and the receive buffer granted against the one
   * requested (see udp-kernel-stats.ts). Null when the listener is not listening.
   */
  async kernelStats(): Promise<UdpKernelStats | null> {
    const socket = this.socket;
    const port = this.boundPort;
    if (socket === null || port === null) return null;
    return readUdpKernelStats(port, {
      requestedBytes: this.recvBufferBytes,
      grantedBytes: socket.getRecvBufferSize(),
    });
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    this.boundPort = null;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onDatagram(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    const from: Peer = { transport: 'udp', address: rinfo.address, port: rinfo.port };
    let message: Message;
    try {
      message = decodeDatagram(buf, this.keys);
    } catch (error) {
      this.sink.onReject(rejectReasonOf(error), from);
      return;
    }
    this.sink.onMessage(message, from);
  }
}
