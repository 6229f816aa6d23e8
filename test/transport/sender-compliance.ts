/**
 * The contract every HeartbeatSender keeps, as one suite that each sender's test file runs with
 * a harness of its own (sender-compliance.test.ts runs it for UDP, TCP, HTTP and memory):
 * - `send` never throws: not for a message that cannot be encoded, not for a monitor that cannot
 *   be reached; every message ends up counted as sent, replaced or failed;
 * - the newest message wins: of a burst sent faster than the sender can deliver, whatever is not
 *   delivered was replaced by a newer message, what is delivered arrives in order, and the
 *   newest always arrives;
 * - `close` is idempotent: every call resolves, and later calls change nothing;
 * - a send after `close` counts as failed (`closed`) and is never delivered.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import type { HeartbeatSender, SenderErrorEvent } from '../../src/transport/sender.js';
import type { Inbox } from '../agent/receivers.js';

/** A sender aimed at a receiving end that decodes what arrives. */
export interface SenderUnderTest {
  sender: HeartbeatSender;
  inbox: Inbox;
  /** Stops the receiving end. */
  close(): Promise<void>;
}

export interface SenderHarness {
  /** A receiving end and a sender aimed at it. */
  reachable(): Promise<SenderUnderTest>;
  /** A sender whose monitor cannot be reached (refused, unresolvable or no listener). */
  unreachable(): Promise<HeartbeatSender>;
}

const beat = (seq: number): Message => ({
  type: 'heartbeat',
  nodeId: 'compliance-node',
  incarnation: 11,
  seq,
  sentAtMs: 1_700_000_000_000 + seq,
  intervalMs: 1000,
  payload: { load1: 0.25 },
});

function errorsOf(sender: HeartbeatSender): SenderErrorEvent[] {
  const errors: SenderErrorEvent[] = [];
  sender.events.on('error', (e) => errors.push(e));
  return errors;
}

/** sent + replaced + failed: every message handed to `send` is counted exactly once. */
function accounted(sender: HeartbeatSender): number {
  const { sent, replaced, failed } = sender.stats();
  return sent + replaced + failed;
}

async function withSender(
  harness: SenderHarness,
  test: (under: SenderUnderTest) => Promise<void>,
): Promise<void> {
  const under = await harness.reachable();
  try {
    await test(under);
  } finally {
    await under.sender.close();
    await under.close();
  }
}

export function senderCompliance(name: string, harness: SenderHarness): void {
  describe(`${name} sender: the HeartbeatSender contract`, () => {
    it('never throws, and counts every message as sent, replaced or failed', async () => {
      const sender = await harness.unreachable();
      const errors = errorsOf(sender);
      expect(() => sender.send({ ...beat(1), nodeId: 'has space' })).not.toThrow();
      expect(errors.map((e) => e.error.reason)).toEqual(['encode']);
      expect(errors[0]?.message?.seq).toBe(1);
      for (let seq = 2; seq <= 4; seq++) expect(() => sender.send(beat(seq))).not.toThrow();
      await sender.close();
      const stats = sender.stats();
      expect(stats.sent).toBe(0);
      expect(stats.failed).toBeGreaterThanOrEqual(2);
      expect(accounted(sender)).toBe(4);
      // Every failure was told, with the message it concerns.
      expect(errors.filter((e) => e.message !== undefined)).toHaveLength(stats.failed);
    });

    it('the newest message wins: a burst arrives in order, ending with the newest', async () => {
      await withSender(harness, async ({ sender, inbox }) => {
        const errors = errorsOf(sender);
        for (let seq = 1; seq <= 5; seq++) sender.send(beat(seq));
        await sender.close();
        await inbox.waitFor((m) => m.seq === 5);
        const seqs = inbox.messages.map((m) => m.seq ?? 0);
        expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
        expect(seqs.at(-1)).toBe(5);
        expect(inbox.messages.at(-1)).toEqual(beat(5));
        const stats = sender.stats();
        expect(errors).toEqual([]);
        expect(stats.failed).toBe(0);
        expect(stats.sent).toBe(seqs.length);
        // What did not arrive was replaced by a newer message, not lost.
        expect(stats.replaced).toBe(5 - seqs.length);
      });
    });

    it('a message sent while another is on its way replaces none that was delivered', async () => {
      await withSender(harness, async ({ sender, inbox }) => {
        sender.send(beat(1));
        await inbox.waitFor((m) => m.seq === 1);
        sender.send(beat(2));
        sender.send(beat(3));
        await inbox.waitFor((m) => m.seq === 3);
        // Counted once its delivery is settled (an HTTP answer may still be on its way).
        await sender.close();
        const seqs = inbox.messages.map((m) => m.seq);
        expect(seqs[0]).toBe(1);
        expect(seqs.at(-1)).toBe(3);
        expect(accounted(sender)).toBe(3);
        expect(sender.stats().replaced).toBe(3 - seqs.length);
      });
    });

    it('close is idempotent', async () => {
      await withSender(harness, async ({ sender, inbox }) => {
        sender.send(beat(1));
        const first = sender.close();
        const second = sender.close();
        await Promise.all([first, second]);
        await inbox.waitFor((m) => m.seq === 1);
        const after = sender.stats();
        await sender.close();
        await sender.close();
        expect(sender.stats()).toEqual(after);
        expect(after).toMatchObject({ sent: 1, failed: 0 });
      });
      // A sender that never sent anything closes too.
      const idle = await harness.unreachable();
      await idle.close();
      await idle.close();
      expect(accounted(idle)).toBe(0);
    });

    it('a send after close, or while closing, counts as failed and is not delivered', async () => {
      await withSender(harness, async ({ sender, inbox }) => {
        const errors = errorsOf(sender);
        sender.send(beat(1));
        const closing = sender.close();
        sender.send(beat(2));
        await closing;
        sender.send(beat(3));
        expect(errors.map((e) => [e.error.reason, e.message?.seq])).toEqual([
          ['closed', 2],
          ['closed', 3],
        ]);
        expect(sender.stats()).toMatchObject({ sent: 1, failed: 2, replaced: 0 });
        // The one before close arrives; nothing after it does (it was refused at once).
        await inbox.waitFor((m) => m.seq === 1);
        expect(inbox.messages.map((m) => m.seq)).toEqual([1]);
      });
    });
  });
}
