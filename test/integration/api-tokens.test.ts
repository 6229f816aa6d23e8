/**
 * `heartbeat monitor` with API tokens, as a process: the start line names the tokens (never a
 * hash), a readable token file or --require-auth without one stops the start with exit 2 and one
 * line, an API without tokens beyond loopback is warned about, and SIGHUP puts a new token file
 * in force (a broken one is refused and the old tokens stay).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killedAfterEach, startCli, startMonitor } from './cli-process.js';

const track = killedAfterEach();
const dir = mkdtempSync(path.join(tmpdir(), 'hb-api-tokens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OLD = 'old-token-0123456789abcdefgh';
const NEW = 'new-token-0123456789abcdefgh';

function tokenFile(name: string, text: string, mode = 0o600): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

/** `heartbeat monitor` on free ports with no history file, and `args`. */
const monitorProcess = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  startCli(
    [
      'monitor',
      '--http-port',
      '0',
      '--udp-port',
      '0',
      '--tcp-port',
      '0',
      '--data',
      ':memory:',
      ...args,
    ],
    env,
  );

const status = async (http: number, token?: string) =>
  (
    await fetch(`http://127.0.0.1:${http}/v1/nodes`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    })
  ).status;

describe('heartbeat monitor --token-file', () => {
  it('says which tokens it takes, and takes new ones on SIGHUP (a broken file is refused)', async () => {
    const file = tokenFile('tokens', `read,write ${OLD} ops\n`);
    const monitor = track(await startMonitor(['--token-file', file, '--data', ':memory:']));
    await monitor.waitFor(/^heartbeat monitor: API tokens from .*tokens: ops \(read,write\)$/);
    expect(monitor.lines.join('\n')).not.toContain(OLD);
    expect(await status(monitor.http)).toBe(401);
    expect(await status(monitor.http, OLD)).toBe(200);
    expect((await fetch(`http://127.0.0.1:${monitor.http}/healthz`)).status).toBe(200);

    tokenFile('tokens', `read ${NEW} grafana\n`);
    let mark = monitor.lines.length;
    monitor.child.kill('SIGHUP');
    await monitor.waitFor(/SIGHUP: API tokens from .*: grafana \(read\)$/, 10_000, mark);
    expect(await status(monitor.http, NEW)).toBe(200);
    expect(await status(monitor.http, OLD)).toBe(401);

    chmodSync(file, 0o644);
    mark = monitor.lines.length;
    monitor.child.kill('SIGHUP');
    await monitor.waitFor(
      /SIGHUP: configuration refused, the old one stays: token file .* may be read or written by its group or others \(mode 0644\); make it private: chmod 600/,
      10_000,
      mark,
    );
    expect(await status(monitor.http, NEW)).toBe(200);
  });

  it('refuses to start with a readable token file, or with --require-auth and none: exit 2, one line', async () => {
    const open = tokenFile('open', `read ${OLD} ops\n`, 0o644);
    const readable = track(monitorProcess(['--token-file', open]));
    expect(await readable.exited).toBe(2);
    expect(readable.lines.filter((l) => l !== '')).toEqual([
      `heartbeat monitor: token file ${open} may be read or written by its group or others (mode 0644); make it private: chmod 600 ${open}`,
    ]);

    const required = track(monitorProcess(['--require-auth']));
    expect(await required.exited).toBe(2);
    expect(required.lines.filter((l) => l !== '')).toEqual([
      'heartbeat monitor: configuration: requireAuth is set but there is no token file (--token-file, HEARTBEAT_TOKEN_FILE or tokenFile)',
    ]);
    const fromEnv = track(monitorProcess([], { HEARTBEAT_REQUIRE_AUTH: 'true' }));
    expect(await fromEnv.exited).toBe(2);
    expect(fromEnv.lines[0]).toMatch(/requireAuth is set but there is no token file/);
  });

  it('warns when its API listens beyond loopback with no tokens', async () => {
    const open = track(monitorProcess(['--host', '0.0.0.0']));
    await open.waitFor(
      /^heartbeat monitor: warning: the HTTP API listens on 0\.0\.0\.0 with no tokens: anyone who can reach it can read, register, remove and fail nodes; give --token-file \(docs\/SECURITY\.md\)$/,
    );
    const local = track(await startMonitor(['--data', ':memory:']));
    await local.waitFor(
      /^heartbeat monitor: the HTTP API has no tokens \(--token-file\): any process on this machine may use it$/,
    );
    expect(local.lines.some((l) => l.includes('warning'))).toBe(false);
  });
});
