/**
 * runAgent in a real process: it must send `leave` to every target when it receives SIGTERM (or
 * SIGINT) and exit 0, so a service manager's stop is recorded as a departure, not a failure.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { tcpReceiver, udpReceiver } from './receivers.js';

const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'agent-process.ts',
);

function startAgent(options: object) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('runAgent as a process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s sends leave to every target and exits 0',
    async (signal) => {
      const [udp, tcp] = await Promise.all([udpReceiver(), tcpReceiver()]);
      const agent = startAgent({
        nodeId: `proc-${signal}`,
        targets: [`udp://127.0.0.1:${udp.port}`, `tcp://127.0.0.1:${tcp.port}`],
        intervalMs: 50,
      });
      try {
        // A heartbeat means runAgent is running, its signal handlers installed.
        const first = await udp.inbox.waitFor((m) => m.seq === 2, 20_000);
        await tcp.inbox.waitFor((m) => m.seq === 2, 20_000);
        agent.child.kill(signal);
        const isLeave = (m: Message) => m.type === 'leave';
        const [udpLeave, tcpLeave] = await Promise.all([
          udp.inbox.waitFor(isLeave),
          tcp.inbox.waitFor(isLeave),
        ]);
        expect(await agent.exited).toBe(0);
        for (const leave of [udpLeave, tcpLeave]) {
          expect(leave).toMatchObject({
            nodeId: `proc-${signal}`,
            incarnation: first.incarnation,
            intervalMs: 50,
          });
          expect(leave.seq).toBeGreaterThan(2);
        }
        expect(udpLeave.seq).toBe(tcpLeave.seq);
        expect(agent.output()).toContain(`${signal}: sending leave and stopping`);
        expect(agent.output()).toMatch(/stopped after \d+ messages/);
      } finally {
        agent.child.kill('SIGKILL');
        await Promise.all([udp.close(), tcp.close()]);
      }
    },
  );

  it('rejects bad options before sending anything', async () => {
    const agent = startAgent({ nodeId: 'x', targets: ['udp://nowhere'] });
    const code = await agent.exited;
    expect(code).not.toBe(0);
    expect(agent.output()).toContain('bad monitor URL "udp://nowhere": needs a port');
  });
});
