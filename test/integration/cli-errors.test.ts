/**
 * The CLI's answers to an operator's mistakes, as a real `heartbeat` process gives them: one
 * line on stderr and the documented exit status (README "Exit status"), never a stack trace.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli } from './cli-process.js';

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
});
