/**
 * The kernel's side of the UDP listener on /metrics: datagrams the kernel dropped before the
 * monitor could read them, bytes waiting in the socket, the system's UDP receive errors, and the
 * receive buffer granted against the one asked for (capped by net.core.rmem_max). Heartbeats
 * lost in the kernel look to the detector like heartbeats lost on the network; these series tell
 * the two apart.
 *
 * The figures are read from /proc once per scrape (ApiMetrics reads them before it renders) and
 * the collectors here only copy them. A figure the kernel cannot give (not Linux, no UDP
 * listener) has no sample rather than a misleading 0: the per-socket series carry the listener's
 * `port` as a label, the system-wide ones the address `family`.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { UdpKernelStats } from '../transport/udp-kernel-stats.js';

/** Registers the kernel series on `registers`; `read` gives the figures of the current scrape. */
export function registerKernelMetrics(
  registers: Registry[],
  read: () => UdpKernelStats | null,
): void {
  new Counter({
    name: 'heartbeat_udp_kernel_drops_total',
    help: 'Datagrams the kernel dropped for the UDP listener socket (its receive buffer was full), since the socket opened.',
    labelNames: ['port'],
    registers,
    collect() {
      this.reset();
      const k = read();
      if (k?.drops != null) this.inc({ port: k.port }, k.drops);
    },
  });
  new Gauge({
    name: 'heartbeat_udp_receive_queue_bytes',
    help: 'Bytes waiting in the UDP listener socket to be read.',
    labelNames: ['port'],
    registers,
    collect() {
      this.reset();
      const k = read();
      if (k?.rxQueueBytes != null) this.set({ port: k.port }, k.rxQueueBytes);
    },
  });
  for (const [field, name, help] of [
    [
      'rcvbufErrors',
      'heartbeat_udp_system_rcvbuf_errors_total',
      'UDP datagrams the system dropped because a receive buffer was full (every socket, since boot), by address family.',
    ],
    [
      'inErrors',
      'heartbeat_udp_system_in_errors_total',
      'UDP datagrams the system could not deliver (full buffers, bad checksums; every socket, since boot), by address family.',
    ],
  ] as const) {
    new Counter({
      name,
      help,
      labelNames: ['family'],
      registers,
      collect() {
        this.reset();
        const system = read()?.system;
        if (system?.udp != null) this.inc({ family: 'udp' }, system.udp[field]);
        if (system?.udp6 != null) this.inc({ family: 'udp6' }, system.udp6[field]);
      },
    });
  }
  new Gauge({
    name: 'heartbeat_udp_receive_buffer_bytes',
    help: 'The UDP listener receive buffer: requested (recvBufferBytes), granted (as the socket reports it; Linux doubles it for bookkeeping) and the system cap net.core.rmem_max.',
    labelNames: ['port', 'kind'],
    registers,
    collect() {
      this.reset();
      const k = read();
      if (k === null) return;
      const port = k.port;
      const buffer = k.receiveBuffer;
      this.set({ port, kind: 'requested' }, buffer.requestedBytes);
      this.set({ port, kind: 'granted' }, buffer.grantedBytes);
      if (buffer.rmemMaxBytes !== null) this.set({ port, kind: 'rmem_max' }, buffer.rmemMaxBytes);
    },
  });
  new Gauge({
    name: 'heartbeat_udp_receive_buffer_capped',
    help: '1 when the UDP listener asked for a larger receive buffer than net.core.rmem_max allows (raise the sysctl), else 0.',
    labelNames: ['port'],
    registers,
    collect() {
      this.reset();
      const k = read();
      if (k !== null) this.set({ port: k.port }, k.receiveBuffer.capped ? 1 : 0);
    },
  });
}
