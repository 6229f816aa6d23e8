/**
 * The sender of a parsed target: UDP, TCP or HTTP by the target's scheme. Kept apart from the
 * contract (sender.ts), which the concrete senders implement, so nothing imports in a circle.
 */
import { HttpSender, type HttpSenderOptions } from './http-sender.js';
import type { HeartbeatSender, SenderComponents } from './sender.js';
import type { Target } from './target.js';
import { TcpSender, type TcpSenderOptions } from './tcp-sender.js';
import { UdpSender } from './udp-sender.js';

export interface SenderOptions {
  tcp?: TcpSenderOptions;
  http?: HttpSenderOptions;
}

/** Creates the sender for a parsed target (see `parseTarget`). */
export function createSender(
  components: SenderComponents,
  target: Target,
  init: SenderOptions = {},
): HeartbeatSender {
  switch (target.kind) {
    case 'udp':
      return new UdpSender(components, target);
    case 'tcp':
      return new TcpSender(components, target, init.tcp);
    case 'http':
      return new HttpSender(components, target, init.http);
  }
}
