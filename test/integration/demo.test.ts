/** `heartbeat demo` as a newcomer runs it: real monitor, five agent processes, three failures. */
import { describe, expect, it } from 'vitest';
import { startCli } from './cli-process.js';

describe('heartbeat demo', () => {
  it('shows a crash, a hang with recovery and a graceful stop, then exits 0', async () => {
    const demo = startCli(['demo']);
    const code = await demo.exited;
    const output = demo.lines.join('\n');
    expect(code, output).toBe(0);
    expect(output).toMatch(/Look at: http:\/\/127\.0\.0\.1:\d+\/v1\/nodes/);
    expect(output).toMatch(
      /demo-2: suspect → dead \(dead-grace-expired, detected [\d.]+ s after the last heartbeat\)/,
    );
    expect(output).toMatch(/demo-3: alive → suspect \(detector, detected [\d.]+ s/);
    expect(output).toMatch(/demo-3: \w+ → alive \(heartbeat, down for [\d.]+ s\)/);
    expect(output).toMatch(/demo-4: alive → left \(leave\)/);
    expect(output).not.toMatch(/demo-(1|5): \w+ → (suspect|dead)/);
    expect(output).toMatch(/demo-2 +FAILED, no heartbeat for/);
    expect(output).toMatch(/demo-4 +LEFT/);
  }, 90_000);
});
