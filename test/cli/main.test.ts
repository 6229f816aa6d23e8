/**
 * Every mistake a user can make on the command line gets one clear line and exit status 2;
 * the CLI runs in-process here with its output captured.
 */
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, {});
  return { code, out, err };
}

function expectUsageError(result: { code: number; err: string[] }, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.err).toHaveLength(1);
  expect(result.err[0]).not.toContain('\n');
  expect(result.err[0]).toMatch(pattern);
}

describe('heartbeat CLI', () => {
  it('lists the commands and exits 0 for --help, 2 with no command', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const name of [
      'monitor',
      'agent',
      'status',
      'nodes',
      'events',
      'demo',
      'sim',
      'lab',
      'tune',
    ]) {
      expect(help.out.join('\n')).toContain(`  ${name}`);
    }
    expect((await cli()).code).toBe(2);
  });

  it.each(['monitor', 'agent', 'status', 'nodes', 'events', 'demo'])(
    'prints help for %s',
    async (name) => {
      const result = await cli(name, '--help');
      expect(result.code).toBe(0);
      expect(result.out.join('\n')).toMatch(new RegExp(`^Usage: heartbeat ${name}`));
    },
  );

  it('rejects an unknown command', async () => {
    expectUsageError(await cli('monitr'), /unknown command "monitr"/);
  });

  it('rejects an unknown flag', async () => {
    expectUsageError(await cli('monitor', '--udp-prot', '9000'), /unknown flag --udp-prot/);
  });

  it('rejects a port out of range', async () => {
    expectUsageError(
      await cli('monitor', '--udp-port', '70000'),
      /--udp-port must be a whole number from 0 to 65535, got "70000"/,
    );
  });

  it('rejects a bad duration', async () => {
    expectUsageError(
      await cli('monitor', '--dead-after', 'soon'),
      /--dead-after must be a duration/,
    );
  });

  it('rejects a bad --on state', async () => {
    expectUsageError(await cli('monitor', '--on', 'dying', 'true'), /--on state must be one of/);
  });

  it('rejects an unreadable config file', async () => {
    expectUsageError(
      await cli('monitor', '--config', '/nonexistent/heartbeat.yaml'),
      /\/nonexistent\/heartbeat\.yaml/,
    );
  });

  it('rejects a config file with a bad value, naming the field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hb-cli-'));
    const file = path.join(dir, 'hb.json');
    writeFileSync(file, JSON.stringify({ udpPort: 'x' }));
    expectUsageError(await cli('monitor', '--config', file), /udpPort/);
  });

  it('rejects an unwritable database path', async () => {
    expectUsageError(
      await cli(
        'monitor',
        '--data',
        '/etc/passwd/history.db',
        '--udp-port',
        '0',
        '--tcp-port',
        '0',
        '--http-port',
        '0',
      ),
      /database/,
    );
  });

  it('rejects a port in use', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await cli(
        'monitor',
        '--host',
        '127.0.0.1',
        '--data',
        ':memory:',
        '--udp-port',
        '0',
        '--tcp-port',
        String(port),
        '--http-port',
        '0',
      );
      expectUsageError(result, new RegExp(`${port}.*in use`));
    } finally {
      server.close();
    }
  });

  it('rejects a bad detector', async () => {
    expectUsageError(await cli('monitor', '--detector', 'psychic'), /detector/);
    expectUsageError(await cli('monitor', '--detector', '{"kind":'), /--detector is neither/);
  });

  it('rejects a bad monitor URL for the agent', async () => {
    expectUsageError(
      await cli('agent', '--id', 'a', '--monitor', 'udp://127.0.0.1'),
      /udp:\/\/127\.0\.0\.1/,
    );
    expectUsageError(await cli('agent', '--id', 'a', '--monitor', 'ftp://x:1'), /ftp:\/\/x:1/);
  });

  it('rejects bad agent flags', async () => {
    expectUsageError(
      await cli('agent', '--jitter', '2'),
      /--jitter must be a number from 0 to 0\.5/,
    );
    expectUsageError(
      await cli('agent', '--metric', 'novalue'),
      /--metric must look like key=value/,
    );
  });

  it('says clearly when the monitor cannot be reached (exit 1)', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const result = await cli('nodes', '--url', `http://127.0.0.1:${port}`);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `heartbeat nodes: cannot reach the monitor at http://127.0.0.1:${port}: ECONNREFUSED`,
    ]);
  });

  it('rejects a bad API URL and bad events flags', async () => {
    expectUsageError(await cli('nodes', '--url', 'localhost:8080'), /bad monitor URL/);
    expectUsageError(await cli('events', '--state', 'zombie'), /--state must be one of/);
    expectUsageError(await cli('events', '--limit', '0'), /--limit must be a whole number/);
  });
});
