/**
 * What the kernel knows of a UDP listener and the listener itself cannot see: datagrams dropped
 * before the process could read them (the socket's receive buffer was full: a stalled or
 * overloaded monitor, a burst), and whether the receive buffer the listener asked for was
 * granted. Heartbeats lost this way look, to the detector, exactly like heartbeats lost on the
 * network; these counters tell the two apart.
 *
 * Read from Linux's /proc (elsewhere every kernel figure is null):
 * - /proc/net/udp and /proc/net/udp6: one row per socket; `drops` is the last column. Rows are
 *   matched by local port (a port is bound once unless SO_REUSEPORT is used, which the listener
 *   does not do), and the drops of matching rows summed;
 * - /proc/net/snmp (`Udp:`) and /proc/net/snmp6 (`Udp6…`): the system-wide `InErrors` and
 *   `RcvbufErrors` (all sockets of this network namespace, since boot);
 * - /proc/sys/net/core/rmem_max: the largest receive buffer an unprivileged socket may ask for.
 *   Linux grants `2 × min(requested, rmem_max)` (the doubling is its bookkeeping overhead), so a
 *   request above rmem_max is silently capped.
 *
 * The parsers are pure functions of the files' text, tested on fixtures.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One socket row of /proc/net/udp or /proc/net/udp6. */
export interface ProcUdpSocket {
  localPort: number;
  /** Bytes waiting in the receive queue. */
  rxQueueBytes: number;
  /** Datagrams dropped for this socket since it was created. */
  drops: number;
}

/** The system-wide UDP counters of one address family. */
export interface UdpSystemCounters {
  /** Datagrams that could not be delivered to a socket (buffer full, bad checksum, …). */
  inErrors: number;
  /** Of those, the ones dropped because a receive buffer was full. */
  rcvbufErrors: number;
}

export interface UdpReceiveBuffer {
  /** The receive buffer the listener asked for (`recvBufferBytes`). */
  requestedBytes: number;
  /** What the socket reports it got (`getRecvBufferSize()`; on Linux twice the usable size). */
  grantedBytes: number;
  /** net.core.rmem_max, or null where it cannot be read (not Linux). */
  rmemMaxBytes: number | null;
  /**
   * The request was larger than the system allows (above rmem_max; where that cannot be read,
   * granted below requested): raise net.core.rmem_max to get the buffer asked for.
   */
  capped: boolean;
}

/** What `UdpListener.kernelStats()` returns. */
export interface UdpKernelStats {
  /** The listener's bound port, the one the socket rows were matched by. */
  port: number;
  /**
   * Datagrams the kernel dropped for this listener's socket, or null where /proc/net/udp cannot
   * be read or holds no row for the port.
   */
  drops: number | null;
  /** Bytes waiting to be read right now, or null as for `drops`. */
  rxQueueBytes: number | null;
  /** System-wide counters: `udp` from /proc/net/snmp, `udp6` from /proc/net/snmp6. */
  system: { udp: UdpSystemCounters | null; udp6: UdpSystemCounters | null };
  receiveBuffer: UdpReceiveBuffer;
}

/** Parses /proc/net/udp or /proc/net/udp6 (same layout; the header names the columns). */
export function parseProcNetUdp(text: string): ProcUdpSocket[] {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  // "tx_queue rx_queue" is one column of data ("00000000:00000000"); so is "tr tm->when".
  const dropsAt = header.indexOf('drops');
  if (dropsAt < 0) return [];
  const dataDropsAt = dropsAt - 2;
  const sockets: ProcUdpSocket[] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length <= dataDropsAt) continue;
    const local = fields[1] ?? '';
    const queues = fields[4] ?? '';
    const localPort = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const rxQueueBytes = Number.parseInt(queues.slice(queues.indexOf(':') + 1), 16);
    const drops = Number(fields[dataDropsAt]);
    if (!Number.isInteger(localPort) || !Number.isInteger(drops)) continue;
    sockets.push({
      localPort,
      rxQueueBytes: Number.isInteger(rxQueueBytes) ? rxQueueBytes : 0,
      drops,
    });
  }
  return sockets;
}

/**
 * The `Udp:` counters of /proc/net/snmp: a line of names followed by a line of values (the
 * `UdpLite:` lines that follow are another protocol).
 */
export function parseSnmpUdp(text: string): UdpSystemCounters | null {
  const rows = text.split('\n').filter((line) => line.startsWith('Udp: '));
  const names = rows[0]?.split(/\s+/).slice(1);
  const values = rows[1]?.split(/\s+/).slice(1);
  if (names === undefined || values === undefined) return null;
  const value = (name: string): number | undefined => {
    const at = names.indexOf(name);
    return at < 0 ? undefined : Number(values[at]);
  };
  return counters(value('InErrors'), value('RcvbufErrors'));
}

/** The `Udp6InErrors` and `Udp6RcvbufErrors` lines of /proc/net/snmp6 (`name value` each). */
export function parseSnmp6Udp(text: string): UdpSystemCounters | null {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [name, value] = line.trim().split(/\s+/);
    if (name !== undefined && value !== undefined) values.set(name, Number(value));
  }
  return counters(values.get('Udp6InErrors'), values.get('Udp6RcvbufErrors'));
}

function counters(inErrors: number | undefined, rcvbufErrors: number | undefined) {
  if (!Number.isInteger(inErrors) || !Number.isInteger(rcvbufErrors)) return null;
  return { inErrors: inErrors as number, rcvbufErrors: rcvbufErrors as number };
}

/** The receive buffer as granted against the request and the system's cap. */
export function receiveBufferOf(
  requestedBytes: number,
  grantedBytes: number,
  rmemMaxBytes: number | null,
): UdpReceiveBuffer {
  const capped =
    rmemMaxBytes === null ? grantedBytes < requestedBytes : requestedBytes > rmemMaxBytes;
  return { requestedBytes, grantedBytes, rmemMaxBytes, capped };
}

/** What to tell an operator whose receive buffer was capped: the figures and the sysctl to raise. */
export function cappedBufferAdvice(buffer: UdpReceiveBuffer): string {
  const cap =
    buffer.rmemMaxBytes === null ? 'the system' : `net.core.rmem_max (${buffer.rmemMaxBytes})`;
  return (
    `the UDP receive buffer is capped by ${cap}: asked for ${buffer.requestedBytes} bytes, ` +
    `got ${buffer.grantedBytes}, so a burst may be dropped by the kernel ` +
    `(heartbeat_udp_kernel_drops_total); raise it: sysctl -w net.core.rmem_max=${buffer.requestedBytes}`
  );
}

/** The text of a /proc file, or null where it does not exist or cannot be read. */
async function readProc(procRoot: string, path: string): Promise<string | null> {
  try {
    return await readFile(join(procRoot, path), 'utf8');
  } catch {
    return null;
  }
}

/**
 * Reads the kernel's figures for the UDP socket bound to `port` whose receive buffer was
 * requested and granted as given. `procRoot` is for tests (a directory of fixture files).
 */
export async function readUdpKernelStats(
  port: number,
  buffer: { requestedBytes: number; grantedBytes: number },
  procRoot = '/proc',
): Promise<UdpKernelStats> {
  const read = (path: string) => readProc(procRoot, path);
  const [udp, udp6, snmp, snmp6, rmemMax] = await Promise.all([
    read('net/udp'),
    read('net/udp6'),
    read('net/snmp'),
    read('net/snmp6'),
    read('sys/net/core/rmem_max'),
  ]);
  let drops: number | null = null;
  let rxQueueBytes: number | null = null;
  for (const table of [udp, udp6]) {
    if (table === null) continue;
    for (const socket of parseProcNetUdp(table)) {
      if (socket.localPort !== port) continue;
      drops = (drops ?? 0) + socket.drops;
      rxQueueBytes = (rxQueueBytes ?? 0) + socket.rxQueueBytes;
    }
  }
  const rmem = rmemMax === null ? Number.NaN : Number(rmemMax.trim());
  return {
    port,
    drops,
    rxQueueBytes,
    system: {
      udp: snmp === null ? null : parseSnmpUdp(snmp),
      udp6: snmp6 === null ? null : parseSnmp6Udp(snmp6),
    },
    receiveBuffer: receiveBufferOf(
      buffer.requestedBytes,
      buffer.grantedBytes,
      Number.isInteger(rmem) ? rmem : null,
    ),
  };
}
