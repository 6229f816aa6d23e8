/** An in-memory HeartbeatSender for the agent's unit tests: records what it is given. */
import { TypedEmitter } from '../../src/core/emitter.js';
import type { Message } from '../../src/protocol/index.js';
import {
  emptyStats,
  type HeartbeatSender,
  type SenderEvents,
  type SenderStats,
} from '../../src/transport/sender.js';
import type { Target } from '../../src/transport/target.js';

export class FakeSender implements HeartbeatSender {
  readonly events = new TypedEmitter<SenderEvents>();
  readonly messages: Message[] = [];
  closed = false;
  private readonly counters: SenderStats = emptyStats();

  constructor(readonly target: Target) {}

  send(msg: Message): void {
    if (this.closed) throw new Error('send after close');
    this.messages.push(msg);
    this.counters.sent++;
    this.events.emit('sent', { target: this.target.url, message: msg, bytes: 1 });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  stats(): SenderStats {
    return { ...this.counters };
  }
}
