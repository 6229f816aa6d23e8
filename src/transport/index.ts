/**
 * The transports' public API: the listener and sender contracts, the UDP, TCP and HTTP
 * implementations, and the in-memory network with its sender and listener, for wiring an Agent
 * to a monitor or a NodeTable in one process.
 */
export type * from './listener.js';
export {
  SendError,
  type HeartbeatSender,
  type SendErrorReason,
  type SenderComponents,
  type SenderErrorEvent,
  type SenderEvents,
  type SenderStats,
  type SentEvent,
} from './sender.js';
export { createSender, type SenderOptions } from './create-sender.js';
export {
  HTTP_HEARTBEAT_PATH,
  parseTarget,
  type HttpTarget,
  type SocketTarget,
  type Target,
  type TargetKind,
} from './target.js';
export {
  DEFAULT_UDP_RECV_BUFFER_BYTES,
  UdpListener,
  udpListener,
  type UdpListenerOptions,
} from './udp-listener.js';
export type { UdpKernelStats, UdpReceiveBuffer, UdpSystemCounters } from './udp-kernel-stats.js';
export { TcpListener, tcpListener, type TcpListenerOptions } from './tcp-listener.js';
export { UdpSender } from './udp-sender.js';
export { TcpSender, type TcpSenderOptions } from './tcp-sender.js';
export { HttpSender, type HttpSenderOptions } from './http-sender.js';
export {
  MemoryNetwork,
  type MemoryListener,
  type MemoryNetworkOptions,
  type MemoryNetworkStats,
  type MemorySendOutcome,
} from './memory-network.js';
export {
  MemorySender,
  memoryAddressOf,
  memorySenders,
  type MemorySenderComponents,
  type MemorySenderOptions,
} from './memory-sender.js';
export {
  MemoryHeartbeatListener,
  memoryListener,
  type MemoryListenerOptions,
} from './memory-listener.js';
