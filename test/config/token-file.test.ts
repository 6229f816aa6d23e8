import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseTokenFile, readTokenFile, tokenHash } from '../../src/config/token-file.js';

const READ = 'r'.repeat(32);
const dir = mkdtempSync(path.join(tmpdir(), 'hb-tokens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode: number): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

describe('token file', () => {
  it('reads tokens and hashes, with scopes and names; keeps only hashes', () => {
    const hash = tokenHash('w'.repeat(40)).toString('hex');
    const upper = tokenHash('o'.repeat(40)).toString('hex').toUpperCase();
    const specs = parseTokenFile(
      `# SCOPES TOKEN NAME\n\nread ${READ} grafana   # a comment\nread,write sha256:${hash} deploy\nadmin,read,read sha256:${upper} ops\n`,
      'test',
    );
    expect(specs.map((s) => [s.name, s.scopes])).toEqual([
      ['grafana', ['read']],
      ['deploy', ['read', 'write']],
      ['ops', ['admin', 'read']],
    ]);
    expect(specs[0]?.sha256.equals(tokenHash(READ))).toBe(true);
    expect(specs[1]?.sha256.toString('hex')).toBe(hash);
    expect(JSON.stringify(specs)).not.toContain(READ);
  });

  it.each([
    ['', 'test holds no token'],
    ['# only a comment\n', 'test holds no token'],
    [`read ${READ}`, 'test line 1: a line is SCOPES TOKEN NAME'],
    [`reed ${READ} x`, 'test line 1: unknown scope "reed"'],
    [`read,,write ${READ} x`, 'unknown scope ""'],
    ['read short x', 'a token is at least 24 characters'],
    [`read ${'a'.repeat(30)}" x`, 'a token is at least 24 characters'],
    ['read sha256:abc x', 'a hashed token is sha256: and 64 hex digits'],
    [`read ${READ} bad/name`, `a token's name is 1 to 64 letters`],
    [`read ${READ} a\nwrite ${'b'.repeat(30)} a`, 'test line 2: the name a is used twice'],
    [`read ${READ} a\nwrite ${READ} b`, 'test line 2: this token is listed twice (b)'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parseTokenFile(text, 'test')).toThrow(ConfigError);
    expect(() => parseTokenFile(text, 'test')).toThrow(message);
  });

  it('refuses a file its group or others may read, in one line saying chmod 600', () => {
    const open = file('open', `read ${READ} grafana\n`, 0o644);
    expect(() => readTokenFile(open)).toThrow(
      `token file ${open} may be read or written by its group or others (mode 0644); make it private: chmod 600 ${open}`,
    );
    const group = file('group', `read ${READ} grafana\n`, 0o640);
    expect(() => readTokenFile(group)).toThrow(/mode 0640/);
    const ok = file('ok', `read ${READ} grafana\n`, 0o600);
    expect(readTokenFile(ok)).toHaveLength(1);
    expect(() => readTokenFile(path.join(dir, 'none'))).toThrow(
      `cannot read token file ${path.join(dir, 'none')}: no such file or directory`,
    );
    expect(() => readTokenFile(dir)).toThrow('is not a regular file');
  });
});
