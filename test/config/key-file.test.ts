/** The key file: its format, its checks, and the refusal of a file others may read. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseKeyFile, readKeyFile } from '../../src/config/key-file.js';
import { loadMonitorConfig } from '../../src/config/load.js';

const B64 = Buffer.alloc(32, 0xab).toString('base64');
const HEX = Buffer.alloc(32, 0x11).toString('hex');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode: number): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

describe('key file', () => {
  it('reads ids, base64 and hex secrets, primary and node bindings, comments', () => {
    const specs = parseKeyFile(
      [
        '# heartbeat keys',
        `1 base64:${B64} primary`,
        '',
        `2   hex:${HEX}   # the next key`,
        `9 base64:${B64} node=db-1 primary`,
      ].join('\n'),
      'test',
    );
    expect(specs).toEqual([
      { id: 1, secret: Buffer.alloc(32, 0xab), primary: true },
      { id: 2, secret: Buffer.alloc(32, 0x11) },
      { id: 9, secret: Buffer.alloc(32, 0xab), node: 'db-1', primary: true },
    ]);
  });

  it.each([
    ['x base64:AAAA', /line 1: a key id is a number from 0 to 255, got "x"/],
    ['256 base64:AAAA', /a key id is a number from 0 to 255/],
    ['1', /key 1 has no secret/],
    [`1 ${B64}`, /a secret is base64:… \(padded\) or hex:…/],
    ['1 hex:abc', /this one is neither/],
    ['1 base64:not*base64', /this one is neither/],
    [`1 base64:${B64} main`, /unknown option "main"/],
    [`1 base64:${B64} node=`, /unknown option "node="/],
    ['1 base64:AAAA', /key 1: a key must have 16 to 64 bytes/],
    [`1 base64:${B64}\n1 hex:${HEX}`, /key 1 is given twice/],
    [`1 base64:${B64} primary\n2 hex:${HEX} primary`, /both marked primary/],
    ['# only a comment\n', /holds no key/],
  ])('refuses %j, saying what is wrong', (text, message) => {
    expect(() => parseKeyFile(text, 'key file k')).toThrow(ConfigError);
    expect(() => parseKeyFile(text, 'key file k')).toThrow(message);
  });

  it('never says the secret in an error', () => {
    const secret = `base64:${B64.slice(0, 20)}`;
    expect(() => parseKeyFile(`1 ${secret}`, 'k')).toThrow(ConfigError);
    try {
      parseKeyFile(`1 ${secret}`, 'k');
    } catch (error) {
      expect((error as Error).message).not.toContain(B64.slice(0, 20));
    }
  });

  it('reads a private file (0600 or 0400)', () => {
    expect(readKeyFile(file('ok', `1 base64:${B64} primary\n`, 0o600))).toHaveLength(1);
    expect(readKeyFile(file('ro', `1 base64:${B64} primary\n`, 0o400))).toHaveLength(1);
  });

  it.each([0o644, 0o640, 0o604, 0o660, 0o602])(
    'refuses a file with mode %s, naming the mode and the fix',
    (mode) => {
      const p = file(`open-${mode.toString(8)}`, `1 base64:${B64} primary\n`, mode);
      const expected = `key file ${p} may be read or written by its group or others (mode 0${mode.toString(8)}); make it private: chmod 600 ${p}`;
      expect(() => readKeyFile(p)).toThrow(expected);
    },
  );

  it('says when the file is missing or not a file', () => {
    expect(() => readKeyFile(path.join(dir, 'none'))).toThrow(
      `cannot read key file ${path.join(dir, 'none')}: no such file or directory`,
    );
    expect(() => readKeyFile(dir)).toThrow(/is not a regular file/);
  });
});

describe('the configuration of keys', () => {
  it('names the key file by field, HEARTBEAT_KEY_FILE or flag; none by default', () => {
    expect(loadMonitorConfig().keyFile).toBeNull();
    expect(loadMonitorConfig().maxClockSkewMs).toBe(60_000);
    expect(loadMonitorConfig({ env: { HEARTBEAT_KEY_FILE: '/etc/hb/keys' } }).keyFile).toBe(
      '/etc/hb/keys',
    );
    const both = loadMonitorConfig({
      env: { HEARTBEAT_KEY_FILE: '/etc/hb/keys' },
      overrides: { keyFile: '/run/keys', maxClockSkewMs: 5000 },
    });
    expect(both).toMatchObject({ keyFile: '/run/keys', maxClockSkewMs: 5000 });
    expect(() => loadMonitorConfig({ overrides: { maxClockSkewMs: 10 } })).toThrow(ConfigError);
  });

  it('takes groups that only allow unauthenticated heartbeats, and refuses empty ones', () => {
    const groups = [{ name: 'cron', idPrefix: 'cron-', allowUnauthenticated: true }];
    expect(loadMonitorConfig({ overrides: { groups } }).groups).toEqual(groups);
    expect(() =>
      loadMonitorConfig({ overrides: { groups: [{ name: 'x', idPrefix: 'x' }] as never } }),
    ).toThrow(/groups\[0\] sets neither detector nor allowUnauthenticated/);
    expect(() =>
      loadMonitorConfig({
        overrides: { groups: [{ name: 'x', allowUnauthenticated: 'yes' }] as never },
      }),
    ).toThrow(/allowUnauthenticated must be true or false/);
  });
});
