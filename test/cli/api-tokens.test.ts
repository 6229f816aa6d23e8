/**
 * The CLI's commands that call the API, against a real monitor with tokens (in this process):
 * the token from --token, --token-file or HEARTBEAT_TOKEN, and one clear line, exit 2, when the
 * monitor refuses it.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokens } from '../../src/api/api-tokens.js';
import { main } from '../../src/cli/main.js';
import { parseTokenFile } from '../../src/config/token-file.js';
import { SystemClock } from '../../src/core/clock.js';
import { createMonitor } from '../../src/daemon/create-monitor.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import { quietApiConfig } from '../monitor/helpers.js';

const READ = 'cli-read-token-0123456789abcdef';
const WRITE = 'cli-write-token-0123456789abcdef';
let monitor: Monitor;
let url = '';
const dir = mkdtempSync(path.join(tmpdir(), 'hb-cli-tokens-'));

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [...argv, '--url', url],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    env,
  );
  return { code, out, err };
}

beforeAll(async () => {
  const tokens = new ApiTokens(
    parseTokenFile(`read ${READ} cli-reader\nwrite ${WRITE} pusher`, 'test'),
  );
  monitor = createMonitor({ clock: new SystemClock() }, quietApiConfig(), {
    api: { processMetrics: false, tokens },
  });
  url = `http://127.0.0.1:${(await monitor.start()).httpPort}`;
  await monitor.register('db-1', {});
  const ping = await fetch(`${url}/ping/db-1`, { headers: { authorization: `Bearer ${WRITE}` } });
  expect(ping.status).toBe(200);
});

afterAll(async () => {
  await monitor.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI with API tokens', () => {
  it('without a token: one line saying what to give, exit 2 (status too: not 1, not 3)', async () => {
    for (const argv of [
      ['nodes'],
      ['status', 'db-1'],
      ['status'],
      ['events'],
      ['events', '--follow'],
    ]) {
      const result = await cli(argv);
      expect([argv, result.code]).toEqual([argv, 2]);
      expect(result.err).toEqual([
        expect.stringMatching(
          /^heartbeat \w+: the monitor refused the request \(401 missing-token\): GET \/v1\/\S+ needs a token with the read scope: .*; give a token with --token-file, HEARTBEAT_TOKEN or --token$/,
        ),
      ]);
      expect(result.out).toEqual([]);
    }
  });

  it('a token from --token, HEARTBEAT_TOKEN or a private --token-file reads', async () => {
    const byFlag = await cli(['status', 'db-1', '--token', READ]);
    expect(byFlag).toMatchObject({ code: 0, out: [expect.stringMatching(/^db-1: ALIVE/)] });
    const byEnv = await cli(['nodes', '--json'], { HEARTBEAT_TOKEN: READ });
    expect(byEnv.code).toBe(0);
    expect(JSON.parse(byEnv.out.join('\n'))).toMatchObject([{ id: 'db-1', state: 'alive' }]);
    const file = path.join(dir, 'token');
    writeFileSync(file, `# for the CLI\n${READ}\n`);
    chmodSync(file, 0o600);
    const byFile = await cli(['events', '--token-file', file]);
    expect(byFile.code).toBe(0);
    expect(byFile.out.some((l) => / db-1 +unknown → alive/.test(l))).toBe(true);
    // The stream too, with the header: it prints the next transition.
    const follow = cli(['events', '--follow', '--count', '1', '--json', '--token-file', file]);
    const clients = async () => {
      const res = await fetch(`${url}/v1/stats`, { headers: { authorization: `Bearer ${READ}` } });
      return ((await res.json()) as { sse: { clients: number } }).sse.clients;
    };
    while ((await clients()) === 0) await new Promise((resolve) => setImmediate(resolve));
    await fetch(`${url}/ping/followed`, { headers: { authorization: `Bearer ${WRITE}` } });
    const followed = await follow;
    expect(followed).toMatchObject({ code: 0, err: [] });
    expect(JSON.parse(followed.out[0] as string)).toMatchObject({ nodeId: 'followed' });
  }, 20_000);

  it('a wrong token, a token without the scope, a readable token file: one line each, exit 2', async () => {
    const wrong = await cli(['nodes', '--token', `${READ}x`]);
    expect(wrong.code).toBe(2);
    expect(wrong.err[0]).toMatch(/\(401 bad-token\): .*; check the token given/);
    const scope = await cli(['nodes'], { HEARTBEAT_TOKEN: WRITE });
    expect(scope.code).toBe(2);
    expect(scope.err).toEqual([
      'heartbeat nodes: the monitor refused the request (403 missing-scope): the token "pusher" has write; GET /v1/nodes needs read; use a token with that scope',
    ]);
    const open = path.join(dir, 'open');
    writeFileSync(open, READ);
    chmodSync(open, 0o644);
    const readable = await cli(['nodes', '--token-file', open]);
    expect(readable.code).toBe(2);
    expect(readable.err[0]).toContain('make it private: chmod 600');
    const both = await cli(['nodes', '--token', READ, '--token-file', open]);
    expect(both.err).toEqual(['heartbeat nodes: give --token or --token-file, not both']);
    const spaced = await cli(['nodes', '--token', 'a b']);
    expect(spaced.code).toBe(2);
  });
});
