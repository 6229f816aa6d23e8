/**
 * The agent over real sockets on loopback: one agent, three monitors-in-miniature (UDP, TCP,
 * HTTP) that decode what arrives with the protocol module.
 */
import { describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { SystemClock } from '../../src/core/clock.js';
import type { Message } from '../../src/protocol/index.js';
import { httpReceiver, tcpReceiver, udpReceiver } from './receivers.js';

describe('Agent on loopback', () => {
  it('sends numbered heartbeats with payload to UDP, TCP and HTTP monitors, and leave on stop', async () => {
    const [udp, tcp, http] = await Promise.all([udpReceiver(), tcpReceiver(), httpReceiver()]);
    const agent = new Agent(
      { clock: new SystemClock() },
      {
        nodeId: 'web-1',
        targets: [
          `udp://127.0.0.1:${udp.port}`,
          `tcp://127.0.0.1:${tcp.port}`,
          `http://127.0.0.1:${http.port}`,
        ],
        intervalMs: 20,
        metrics: { region: 'eu-1' },
      },
    );
    const errors: string[] = [];
    agent.on('error', (e) => errors.push(e.error.message));
    try {
      agent.start();
      // HTTP sends one request at a time, so at 20 ms a heartbeat may be replaced: wait for any
      // seq from 3 on.
      const third = (m: Message) => (m.seq ?? 0) >= 3;
      await Promise.all([
        udp.inbox.waitFor(third),
        tcp.inbox.waitFor(third),
        http.inbox.waitFor(third),
      ]);
      await agent.stop();
      const isLeave = (m: Message) => m.type === 'leave';
      const leaves = await Promise.all([
        udp.inbox.waitFor(isLeave),
        tcp.inbox.waitFor(isLeave),
        http.inbox.waitFor(isLeave),
      ]);
      for (const inbox of [udp.inbox, tcp.inbox]) {
        // Datagrams and one TCP stream on loopback: every message, in order.
        const seqs = inbox.messages.map((m) => m.seq);
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      }
      const httpSeqs = http.inbox.messages.map((m) => m.seq ?? 0);
      expect(httpSeqs).toEqual([...httpSeqs].sort((a, b) => a - b));
      expect(new Set(httpSeqs).size).toBe(httpSeqs.length);
      const first = udp.inbox.messages[0] as Message;
      expect(first).toMatchObject({
        type: 'heartbeat',
        nodeId: 'web-1',
        incarnation: agent.incarnation,
        seq: 1,
        intervalMs: 20,
      });
      expect(first.payload).toMatchObject({ region: 'eu-1', nodeVersion: process.version });
      expect(typeof first.payload?.['rssBytes']).toBe('number');
      for (const leave of leaves) {
        expect(leave).toMatchObject({
          nodeId: 'web-1',
          incarnation: agent.incarnation,
          seq: agent.stats().seq,
        });
        expect(leave.payload).toBeUndefined();
      }
      const stats = agent.stats();
      expect(stats.targets[`udp://127.0.0.1:${udp.port}`]?.sent).toBe(stats.messages);
      expect(errors).toEqual([]);
    } finally {
      await agent.stop();
      await Promise.all([udp.close(), tcp.close(), http.close()]);
    }
  });
});
