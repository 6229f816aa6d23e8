import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseTarget } from '../../src/transport/target.js';

describe('parseTarget', () => {
  it('parses udp and tcp host:port, IPv6 in brackets, a trailing slash', () => {
    expect(parseTarget('udp://127.0.0.1:9000')).toEqual({
      kind: 'udp',
      url: 'udp://127.0.0.1:9000',
      host: '127.0.0.1',
      port: 9000,
    });
    expect(parseTarget('tcp://monitor.example.com:7000/')).toMatchObject({
      kind: 'tcp',
      host: 'monitor.example.com',
      port: 7000,
    });
    expect(parseTarget('UDP://[::1]:1')).toMatchObject({ kind: 'udp', host: '::1', port: 1 });
    expect(parseTarget('tcp://[fe80::1%eth0]:65535')).toMatchObject({
      host: 'fe80::1%eth0',
      port: 65535,
    });
  });

  it('parses http and https with a base path, a default port and no trailing slash games', () => {
    expect(parseTarget('http://127.0.0.1:8080')).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:8080',
      heartbeatUrl: 'http://127.0.0.1:8080/v1/heartbeat',
      host: '127.0.0.1',
      port: 8080,
      secure: false,
    });
    expect(parseTarget('https://hb.example.com/team-a/')).toMatchObject({
      heartbeatUrl: 'https://hb.example.com/team-a/v1/heartbeat',
      port: 443,
      secure: true,
    });
    expect(parseTarget('http://[::1]:80/x')).toMatchObject({
      heartbeatUrl: 'http://[::1]/x/v1/heartbeat',
      host: '::1',
      port: 80,
    });
  });

  const bad: [string, string][] = [
    ['udp://x', 'bad monitor URL "udp://x": needs a port'],
    ['tcp://x:', 'bad monitor URL "tcp://x:": needs a port'],
    ['udp://:9000', 'needs a host'],
    ['udp://x:0', 'port 0 is out of range 1-65535'],
    ['udp://x:70000', 'port 70000 is out of range 1-65535'],
    ['udp://x:9a', 'bad port "9a"'],
    ['udp://::1:9000', 'an IPv6 address needs brackets'],
    ['udp://[::1:9000', 'unclosed "["'],
    ['udp://x:9000/path', 'takes no path, query or fragment'],
    ['tcp://user@x:9000', 'takes no user name or password'],
    ['udp://bad_host!:9000', 'bad host "bad_host!"'],
    ['localhost:9000', 'needs a scheme'],
    ['ws://x:9000', 'unknown scheme "ws:"'],
    ['', 'empty'],
    ['udp://x :9000', 'whitespace or control characters'],
    ['http://x:99999', 'port 99999 is out of range'],
    ['http://u:p@x:8080', 'takes no user name or password'],
    ['http://x:8080/?a=1', 'takes no query or fragment'],
    ['http://', 'needs a host'],
  ];
  it.each(bad)('refuses %j with one clear line', (url, why) => {
    let caught: unknown;
    try {
      parseTarget(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toContain(why);
    expect(message.startsWith(`bad monitor URL ${JSON.stringify(url)}: `)).toBe(true);
    expect(message).not.toContain('\n');
  });
});
