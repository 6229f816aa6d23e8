/**
 * The CLI's answers to an operator's mistakes, as a real `heartbeat` process gives them: one
 * line on stderr and the documented exit status (README "Exit status"), never a stack trace.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli, startMonitor } from './cli-process.js';

/** Runs `heartbeat …` to its end: the exit status and every line it printed. */
async function run(...args: string[]): Promise<{ code: number | string; lines: string[] }> {
  const proc = startCli(args);
  const code = await proc.exited;
  return { code, lines: proc.lines.filter((l) => l !== '') };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

/** A TCP port on loopback that a listener of this test holds. */
async function takenPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const FREE_PORTS = ['--udp-port', '0', '--tcp-port', '0', '--http-port', '0'];

describe('heartbeat as a process, given a mistake', () => {
  it('an address that is not this machine’s: exit 2, one line', async () => {
    // 192.0.2.0/24 is reserved for documentation (RFC 5737): no machine has it.
    const result = await run('monitor', '--host', '192.0.2.1', '--data', ':memory:', ...FREE_PORTS);
    expect(result).toEqual({
      code: 2,
      lines: ['heartbeat monitor: cannot bind 192.0.2.1: not an address of this machine'],
    });
  });

  it('a port another process holds: exit 2, one line', async () => {
    const port = await takenPort();
    const result = await run(
      'monitor',
      '--host',
      '127.0.0.1',
      '--data',
      ':memory:',
      ...FREE_PORTS,
      '--http-port',
      String(port),
    );
    expect(result).toEqual({
      code: 2,
      lines: [`heartbeat monitor: port ${port}/tcp (http) is in use`],
    });
  });

  it('a duration flag without its unit: exit 2, one line naming the flag', async () => {
    expect(await run('monitor', '--dead-after', '10')).toEqual({
      code: 2,
      lines: ['heartbeat monitor: --dead-after: "10" needs a unit, e.g. 10s or 10ms'],
    });
    expect(await run('agent', '--interval', '30', '--monitor', 'udp://127.0.0.1:9')).toEqual({
      code: 2,
      lines: ['heartbeat agent: --interval: "30" needs a unit, e.g. 30s or 30ms'],
    });
  });

  it('a duration beyond its range: exit 2, one line with the range', async () => {
    expect(await run('monitor', '--startup-grace', '2w')).toEqual({
      code: 2,
      lines: ['heartbeat monitor: --startup-grace must be from 0ms to 1d, got "2w"'],
    });
    expect(await run('agent', '--interval', '5ms')).toEqual({
      code: 2,
      lines: ['heartbeat agent: --interval must be from 10ms to 1d, got "5ms"'],
    });
  });

  it('durations in hours and days are taken', async () => {
    const monitor = await startMonitor([
      '--data',
      ':memory:',
      '--dead-after',
      '1h',
      '--startup-grace',
      '1d',
      '--interval',
      '1m',
    ]);
    expect(await monitor.stop('SIGTERM'), monitor.lines.join('\n')).toBe(0);
  });

  it('an unknown flag: one line, no doubled command name', async () => {
    expect(await run('monitor', '--udp-prot', '9000')).toEqual({
      code: 2,
      lines: ['heartbeat monitor: unknown flag --udp-prot (see heartbeat monitor --help)'],
    });
  });

  it('nodes --state with a state that does not exist: exit 2, as the API answers 400', async () => {
    expect(await run('nodes', '--state', 'zombie', '--url', 'http://127.0.0.1:9')).toEqual({
      code: 2,
      lines: [
        'heartbeat nodes: --state must be one of unknown, alive, suspect, dead, left, got "zombie"',
      ],
    });
  });

  it('status tells a dead node (1) from a monitor it cannot reach (3)', async () => {
    const monitor = await startMonitor(['--data', ':memory:']);
    try {
      const api = `http://127.0.0.1:${monitor.http}`;
      for (const path of ['/ping/db-1', '/ping/db-1/fail'])
        expect(
          (
            await fetch(`${api}${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
            })
          ).status,
        ).toBe(200);
      const dead = await run('status', 'db-1', '--url', api);
      expect(dead.code).toBe(1);
      expect(dead.lines).toEqual([expect.stringMatching(/^db-1: FAILED/)]);
    } finally {
      await monitor.stop('SIGTERM');
    }
    const port = await closedPort();
    expect(await run('status', 'db-1', '--url', `http://127.0.0.1:${port}`)).toEqual({
      code: 3,
      lines: [
        `heartbeat status: cannot reach the monitor at http://127.0.0.1:${port}: ECONNREFUSED`,
      ],
    });
  });
});

/** A TCP port on loopback that was free a moment ago, and nobody listens on now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
