import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { MAX_ACTIONS, MAX_NODE_GROUPS } from '../../src/core/limits.js';
import { loadMonitorConfig, type LoadInput } from '../../src/config/load.js';
import { DETECTOR_KINDS, parseDetectorSpec } from '../../src/detectors/registry.js';
import { DEFAULTS, PRESETS } from '../../src/config/presets.js';
import type { MonitorConfig } from '../../src/config/types.js';

const KINDS = DETECTOR_KINDS.join(', ');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hb-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
/** Writes `text` to a fresh file with extension `ext` and returns its path. */
function file(ext: string, text: string): string {
  const name = path.join(dir, `config-${fileCount++}${ext}`);
  writeFileSync(name, text);
  return name;
}

function errorOf(input: LoadInput): string {
  try {
    loadMonitorConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(input)}`);
}

describe('loadMonitorConfig: defaults, presets and precedence', () => {
  it('gives the lan preset and the documented defaults with no input', () => {
    const config = loadMonitorConfig();
    expect(config).toEqual({ ...DEFAULTS, ...PRESETS.lan, preset: 'lan' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      udpPort: 9000,
      tcpPort: 9000,
      httpPort: 8080,
      dataPath: './data/heartbeat.db',
      defaultIntervalMs: 1000,
      recordPath: null,
    });
  });

  it.each(['lan', 'wan', 'local'] as const)('applies the %s preset as a whole', (preset) => {
    const config = loadMonitorConfig({ overrides: { preset } });
    expect(config).toEqual({ ...DEFAULTS, ...PRESETS[preset], preset });
  });

  it('keeps presets consistent: slower networks get longer timings', () => {
    const { local, lan, wan } = PRESETS;
    for (const key of ['defaultIntervalMs', 'deadAfterMs', 'startupGraceMs'] as const) {
      expect(local[key]).toBeLessThan(lan[key]);
      expect(lan[key]).toBeLessThan(wan[key]);
    }
    for (const p of [local, lan, wan]) {
      expect(parseDetectorSpec(p.detector)).toEqual(p.detector);
      // A stall longer than a heartbeat interval could not be told apart from silence.
      expect(p.pauseGuard.toleranceMs).toBeLessThanOrEqual(p.defaultIntervalMs);
      expect(p.pauseGuard.graceMs).toBeGreaterThanOrEqual(p.defaultIntervalMs);
    }
  });

  it('returns a fresh object each time, never the presets themselves', () => {
    const a = loadMonitorConfig();
    a.pauseGuard.graceMs = 1;
    a.actions.webhooks.push('http://x/');
    expect(loadMonitorConfig()).toEqual({ ...DEFAULTS, ...PRESETS.lan, preset: 'lan' });
  });

  it('layers defaults < preset < file < environment < overrides, field by field', () => {
    const yaml = file(
      '.yaml',
      [
        'preset: wan',
        'host: 10.0.0.5',
        'udpPort: 7001',
        'tcpPort: 7002',
        'httpPort: 7003',
        'deadAfterMs: 45000',
        'pauseGuard:',
        '  graceMs: 4000',
        'actions:',
        '  on:',
        '    - { state: dead, command: "page-oncall" }',
        '  webhooks: [http://file.example/hook]',
      ].join('\n'),
    );
    const config = loadMonitorConfig({
      file: yaml,
      env: {
        HEARTBEAT_UDP_PORT: '8001',
        HEARTBEAT_TCP_PORT: '8002',
        HEARTBEAT_PAUSE_TOLERANCE_MS: '900',
      },
      overrides: { udpPort: 9901, pauseGuard: { graceMs: 3000 } },
    });
    expect(config).toEqual<MonitorConfig>({
      ...DEFAULTS,
      ...PRESETS.wan,
      preset: 'wan', // from the file
      host: '10.0.0.5', // file over default
      udpPort: 9901, // override over environment over file
      tcpPort: 8002, // environment over file
      httpPort: 7003, // file
      deadAfterMs: 45_000, // file over preset
      pauseGuard: { toleranceMs: 900, graceMs: 3000 }, // env and override, merged
      actions: {
        on: [{ state: 'dead', command: 'page-oncall' }],
        webhooks: ['http://file.example/hook'],
      },
    });
  });

  it('chooses the preset from the highest source that names one', () => {
    const json = file('.json', JSON.stringify({ preset: 'wan' }));
    expect(loadMonitorConfig({ file: json }).defaultIntervalMs).toBe(5000);
    expect(loadMonitorConfig({ file: json, env: { HEARTBEAT_PRESET: 'local' } })).toMatchObject({
      preset: 'local',
      defaultIntervalMs: 250,
    });
    expect(
      loadMonitorConfig({
        file: json,
        env: { HEARTBEAT_PRESET: 'local' },
        overrides: { preset: 'lan' },
      }),
    ).toMatchObject({ preset: 'lan', defaultIntervalMs: 1000 });
    // A lower source's explicit value still beats the chosen preset's.
    const withInterval = file('.json', JSON.stringify({ defaultIntervalMs: 300 }));
    expect(loadMonitorConfig({ file: withInterval, overrides: { preset: 'wan' } })).toMatchObject({
      preset: 'wan',
      defaultIntervalMs: 300,
      deadAfterMs: 60_000,
    });
  });

  it('replaces the detector and lists whole, and merges actions field by field', () => {
    const json = file(
      '.json',
      JSON.stringify({
        detector: { kind: 'phi-accrual', threshold: 10 },
        actions: { on: [{ state: 'dead', command: 'a' }], webhooks: ['https://a.example/'] },
      }),
    );
    const config = loadMonitorConfig({
      file: json,
      env: { HEARTBEAT_WEBHOOK: 'http://b.example/x, http://c.example/y' },
    });
    expect(config.detector).toEqual({ kind: 'phi-accrual', threshold: 10 });
    expect(config.actions).toEqual({
      on: [{ state: 'dead', command: 'a' }],
      webhooks: ['http://b.example/x', 'http://c.example/y'],
    });
  });

  it('reads YAML (.yaml, .yml) and JSON files with the same meaning', () => {
    const doc = {
      host: '0.0.0.0',
      udpPort: null,
      detector: { kind: 'chen', safetyMarginMs: 500 },
      groups: [
        { name: 'wan-sites', tags: ['wan'], idPrefix: 'eu-', detector: { kind: 'timeout' } },
      ],
      recordPath: './arrivals.log',
    };
    const yaml = [
      'host: 0.0.0.0',
      'udpPort: off # YAML 1.2: a string, read as "disabled"',
      'detector:',
      '  kind: chen',
      '  safetyMarginMs: 500',
      'groups:',
      '  - name: wan-sites',
      '    tags: [wan]',
      '    idPrefix: eu-',
      '    detector: timeout',
      'recordPath: ./arrivals.log',
    ].join('\n');
    const fromJson = loadMonitorConfig({ file: file('.json', JSON.stringify(doc)) });
    expect(loadMonitorConfig({ file: file('.yaml', yaml) })).toEqual(fromJson);
    expect(loadMonitorConfig({ file: file('.YML', yaml) })).toEqual(fromJson);
    expect(fromJson).toMatchObject({ ...doc, groups: [{ ...doc.groups[0] }] });
    expect(loadMonitorConfig({ file: file('.yaml', '') })).toEqual(loadMonitorConfig());
  });

  it('reads the file named by HEARTBEAT_CONFIG unless the caller names one', () => {
    const a = file('.json', '{"httpPort": 1111}');
    const b = file('.json', '{"httpPort": 2222}');
    expect(loadMonitorConfig({ env: { HEARTBEAT_CONFIG: a } }).httpPort).toBe(1111);
    expect(loadMonitorConfig({ file: b, env: { HEARTBEAT_CONFIG: a } }).httpPort).toBe(2222);
  });

  it('reads every environment variable, ignoring empty ones', () => {
    const config = loadMonitorConfig({
      env: {
        HEARTBEAT_PRESET: 'local',
        HEARTBEAT_HOST: '::1',
        HEARTBEAT_UDP_PORT: 'off',
        HEARTBEAT_TCP_PORT: '0',
        HEARTBEAT_HTTP_PORT: '18080',
        HEARTBEAT_DATA: ':memory:',
        HEARTBEAT_DETECTOR: '{"kind":"missed-beats","failureThreshold":5}',
        HEARTBEAT_INTERVAL_MS: '200',
        HEARTBEAT_DEAD_AFTER_MS: '1500',
        HEARTBEAT_STARTUP_GRACE_MS: '5000',
        HEARTBEAT_PAUSE_TOLERANCE_MS: '100',
        HEARTBEAT_PAUSE_GRACE_MS: '400',
        HEARTBEAT_WEBHOOK: 'https://hooks.example/hb',
        HEARTBEAT_RECORD: '/var/tmp/arrivals.log',
        HEARTBEAT_NODE_ID: 'an agent variable, ignored here',
      },
    });
    expect(config).toEqual<MonitorConfig>({
      ...DEFAULTS,
      preset: 'local',
      host: '::1',
      udpPort: null,
      tcpPort: 0,
      httpPort: 18080,
      dataPath: ':memory:',
      detector: { kind: 'missed-beats', failureThreshold: 5 },
      defaultIntervalMs: 200,
      deadAfterMs: 1500,
      startupGraceMs: 5000,
      pauseGuard: { toleranceMs: 100, graceMs: 400 },
      actions: { on: [], webhooks: ['https://hooks.example/hb'] },
      recordPath: '/var/tmp/arrivals.log',
      groups: [],
    });
    expect(loadMonitorConfig({ env: { HEARTBEAT_HOST: '', HEARTBEAT_UDP_PORT: '  ' } })).toEqual(
      loadMonitorConfig(),
    );
    expect(loadMonitorConfig({ env: { HEARTBEAT_DETECTOR: 'chen' } }).detector).toEqual({
      kind: 'chen',
    });
  });

  it('accepts what flags produce: numbers, numeric strings, a detector name', () => {
    const config = loadMonitorConfig({
      overrides: {
        udpPort: '9100' as unknown as number,
        detector: 'phi-cassandra',
        actions: { on: [{ state: 'suspect', command: 'logger suspect' }], webhooks: [] },
      },
    });
    expect(config).toMatchObject({
      udpPort: 9100,
      detector: { kind: 'phi-cassandra' },
      actions: { on: [{ state: 'suspect', command: 'logger suspect' }], webhooks: [] },
    });
  });

  it('reads every port 0–65535 from the environment and refuses everything else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (p) => {
        expect(
          loadMonitorConfig({ env: { HEARTBEAT_HTTP_PORT: String(p), HEARTBEAT_TCP_PORT: 'off' } })
            .httpPort,
        ).toBe(p);
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 65536 }),
          fc.double({ min: 0.01, max: 65535, noInteger: true }),
          fc.string(),
        ),
        (bad) => {
          fc.pre(
            typeof bad !== 'string' ||
              (!/^\s*\d+\s*$/.test(bad) &&
                bad.trim() !== '' &&
                !/^\s*(off|none|null|disabled|false)\s*$/i.test(bad)),
          );
          expect(() => loadMonitorConfig({ env: { HEARTBEAT_UDP_PORT: String(bad) } })).toThrow(
            /^environment: HEARTBEAT_UDP_PORT must be an integer 0–65535, got /,
          );
        },
      ),
    );
  });
});

describe('loadMonitorConfig: every error is one line naming the source and the field', () => {
  it('reports files it cannot read or parse', () => {
    const nope = path.join(dir, 'nope.json');
    expect(errorOf({ file: nope })).toBe(`cannot read config file ${nope}: no such file`);
    const directory = path.join(dir, 'a-directory.yaml');
    mkdirSync(directory);
    expect(errorOf({ file: directory })).toBe(
      `cannot read config file ${directory}: is a directory`,
    );
    const under = '/etc/passwd/hb.json';
    expect(errorOf({ file: under })).toBe(
      `cannot read config file ${under}: a parent is not a directory`,
    );
    const toml = file('.toml', 'udpPort = 1');
    expect(errorOf({ file: toml })).toBe(
      `config file ${toml}: unsupported extension ".toml"; use .json, .yaml or .yml`,
    );
    const json = file('.json', '{"udpPort": 1,}');
    expect(errorOf({ file: json })).toMatch(new RegExp(`^config file ${json}: invalid JSON: .+`));
    const yaml = file('.yaml', 'udpPort: 1\nudpPort: 2\n');
    expect(errorOf({ file: yaml })).toBe(
      `config file ${yaml}: invalid YAML: Map keys must be unique at line 2, column 1`,
    );
    const list = file('.yaml', '- udpPort\n');
    expect(errorOf({ file: list })).toBe(
      `config file ${list}: the configuration must be a mapping of options, got ["udpPort"]`,
    );
  });

  it('names the config file and the field', () => {
    const yaml = file('.yaml', 'udpPort: x\n');
    expect(errorOf({ file: yaml })).toBe(
      `config file ${yaml}: udpPort must be an integer 0–65535, got "x"`,
    );
  });

  const overrideCases: [string, unknown, string][] = [
    ['misspelt field', { udpPrt: 1 }, 'unknown field "udpPrt" (did you mean "udpPort"?)'],
    ['case of a field', { datapath: 'x' }, 'unknown field "datapath" (did you mean "dataPath"?)'],
    ['unknown field', { colour: 'blue' }, 'unknown field "colour"'],
    ['host', { host: 'my host' }, 'host must be a host name or IP address, got "my host"'],
    ['tcpPort', { tcpPort: 70000 }, 'tcpPort must be an integer 0–65535, got 70000'],
    ['httpPort', { httpPort: -1 }, 'httpPort must be an integer 0–65535, got -1'],
    ['udpPort', { udpPort: 1.5 }, 'udpPort must be an integer 0–65535, got 1.5'],
    ['dataPath', { dataPath: '' }, 'dataPath must be a non-empty string, got ""'],
    ['preset', { preset: 'fast' }, 'preset must be one of lan, wan, local, got "fast"'],
    [
      'defaultIntervalMs',
      { defaultIntervalMs: 0 },
      'defaultIntervalMs must be a number of milliseconds from 1 to 86400000, got 0',
    ],
    [
      'deadAfterMs',
      { deadAfterMs: -5 },
      'deadAfterMs must be a number of milliseconds from 0 to 86400000, got -5',
    ],
    [
      'startupGraceMs',
      { startupGraceMs: '30s' },
      'startupGraceMs must be a number of milliseconds from 0 to 86400000, got "30s"',
    ],
    [
      'detector kind',
      { detector: { kind: 'magic' } },
      `detector.kind must be one of ${KINDS}, got "magic"`,
    ],
    ['detector type', { detector: 5 }, 'detector must be an object with a "kind", got 5'],
    [
      'detector option',
      { detector: { kind: 'phi-accrual', threshold: 'high' } },
      'detector.threshold must be a positive number, got "high"',
    ],
    [
      'detector unknown option',
      { detector: { kind: 'timeout', treshold: 3 } },
      'detector.treshold is not an option of timeout (options: timeoutMs)',
    ],
    ['groups type', { groups: {} }, 'groups must be a list of groups, got {}'],
    [
      'group type',
      { groups: ['x'] },
      'groups[0] must be a mapping with name and detector, got "x"',
    ],
    [
      'group name',
      { groups: [{ detector: { kind: 'chen' } }] },
      'groups[0].name must be a non-empty string, got nothing',
    ],
    [
      'group detector',
      { groups: [{ name: 'a', detector: { kind: 'nope' } }] },
      `groups[0].detector.kind must be one of ${KINDS}, got "nope"`,
    ],
    [
      'group duplicate',
      {
        groups: [
          { name: 'a', detector: 'chen' },
          { name: 'a', detector: 'timeout' },
        ],
      },
      'groups[1].name "a" is used by another group',
    ],
    [
      'group tags',
      { groups: [{ name: 'a', detector: 'chen', tags: 'wan' }] },
      'groups[0].tags must be a list of strings, got "wan"',
    ],
    [
      'group tag',
      { groups: [{ name: 'a', detector: 'chen', tags: ['wan', 3] }] },
      'groups[0].tags[1] must be a non-empty string, got 3',
    ],
    [
      'group idPrefix',
      { groups: [{ name: 'a', detector: 'chen', idPrefix: '' }] },
      'groups[0].idPrefix must be a non-empty string, got ""',
    ],
    [
      'group field',
      { groups: [{ name: 'a', detector: 'chen', tag: ['x'] }] },
      'unknown field "groups[0].tag" (did you mean "groups[0].tags"?)',
    ],
    [
      'group count',
      {
        groups: Array.from({ length: MAX_NODE_GROUPS + 1 }, (_, i) => ({
          name: `g${i}`,
          detector: 'chen',
        })),
      },
      `groups has ${MAX_NODE_GROUPS + 1} groups; at most ${MAX_NODE_GROUPS}`,
    ],
    [
      'pauseGuard type',
      { pauseGuard: 5 },
      'pauseGuard must be a mapping with toleranceMs and/or graceMs, got 5',
    ],
    [
      'pauseGuard.toleranceMs',
      { pauseGuard: { toleranceMs: 0 } },
      'pauseGuard.toleranceMs must be a number of milliseconds from 1 to 86400000, got 0',
    ],
    [
      'pauseGuard.graceMs',
      { pauseGuard: { graceMs: null } },
      'pauseGuard.graceMs must be a number of milliseconds from 0 to 86400000, got null',
    ],
    [
      'pauseGuard field',
      { pauseGuard: { grace: 1 } },
      'unknown field "pauseGuard.grace" (did you mean "pauseGuard.graceMs"?)',
    ],
    ['actions type', { actions: [] }, 'actions must be a mapping with on and/or webhooks, got []'],
    [
      'actions.on type',
      { actions: { on: 'dead' } },
      'actions.on must be a list of { state, command }, got "dead"',
    ],
    [
      'actions.on item',
      { actions: { on: [3] } },
      'actions.on[0] must be a mapping with state and command, got 3',
    ],
    [
      'actions.on state',
      { actions: { on: [{ state: 'down', command: 'x' }] } },
      'actions.on[0].state must be one of unknown, alive, suspect, dead, left, got "down"',
    ],
    [
      'actions.on command',
      { actions: { on: [{ state: 'dead', command: '  ' }] } },
      'actions.on[0].command must be a non-empty string, got "  "',
    ],
    [
      'actions.on field',
      { actions: { on: [{ state: 'dead', run: 'x' }] } },
      'unknown field "actions.on[0].run"',
    ],
    [
      'actions.webhooks type',
      { actions: { webhooks: 5 } },
      'actions.webhooks must be a list of URLs, got 5',
    ],
    [
      'actions.webhooks url',
      { actions: { webhooks: ['https://ok.example/', 'ftp://x.example/'] } },
      'actions.webhooks[1] must be an http:// or https:// URL, got "ftp://x.example/"',
    ],
    [
      'actions count',
      { actions: { webhooks: Array.from({ length: MAX_ACTIONS + 1 }, () => 'http://a/') } },
      `actions has ${MAX_ACTIONS + 1} commands and webhooks; at most ${MAX_ACTIONS}`,
    ],
    ['recordPath', { recordPath: 5 }, 'recordPath must be a non-empty string, got 5'],
  ];

  it.each(overrideCases)('%s', (_name, overrides, message) => {
    expect(errorOf({ overrides: overrides as never })).toBe(`options: ${message}`);
    expect(errorOf({ overrides: overrides as never, overridesSource: 'command line' })).toBe(
      `command line: ${message}`,
    );
    // The same document in a file gives the same message, prefixed with the file.
    const json = file('.json', JSON.stringify(overrides));
    expect(errorOf({ file: json })).toBe(`config file ${json}: ${message}`);
  });

  const envCases: [Record<string, string>, string][] = [
    [{ HEARTBEAT_PRESET: 'x' }, 'HEARTBEAT_PRESET must be one of lan, wan, local, got "x"'],
    [{ HEARTBEAT_HOST: 'a b' }, 'HEARTBEAT_HOST must be a host name or IP address, got "a b"'],
    [{ HEARTBEAT_UDP_PORT: 'x' }, 'HEARTBEAT_UDP_PORT must be an integer 0–65535, got "x"'],
    [{ HEARTBEAT_TCP_PORT: '65536' }, 'HEARTBEAT_TCP_PORT must be an integer 0–65535, got "65536"'],
    [{ HEARTBEAT_HTTP_PORT: '80a' }, 'HEARTBEAT_HTTP_PORT must be an integer 0–65535, got "80a"'],
    [
      { HEARTBEAT_DETECTOR: 'magic' },
      `HEARTBEAT_DETECTOR.kind must be one of ${KINDS}, got "magic"`,
    ],
    [
      { HEARTBEAT_DETECTOR: '{"kind":' },
      'HEARTBEAT_DETECTOR is not valid JSON (Unexpected end of JSON input), got "{\\"kind\\":"',
    ],
    [
      { HEARTBEAT_INTERVAL_MS: '1s' },
      'HEARTBEAT_INTERVAL_MS must be a number of milliseconds from 1 to 86400000, got "1s"',
    ],
    [
      { HEARTBEAT_DEAD_AFTER_MS: '99999999999' },
      'HEARTBEAT_DEAD_AFTER_MS must be a number of milliseconds from 0 to 86400000, got "99999999999"',
    ],
    [
      { HEARTBEAT_STARTUP_GRACE_MS: '-1' },
      'HEARTBEAT_STARTUP_GRACE_MS must be a number of milliseconds from 0 to 86400000, got "-1"',
    ],
    [
      { HEARTBEAT_PAUSE_TOLERANCE_MS: '0' },
      'HEARTBEAT_PAUSE_TOLERANCE_MS must be a number of milliseconds from 1 to 86400000, got "0"',
    ],
    [
      { HEARTBEAT_PAUSE_GRACE_MS: 'soon' },
      'HEARTBEAT_PAUSE_GRACE_MS must be a number of milliseconds from 0 to 86400000, got "soon"',
    ],
    [
      { HEARTBEAT_WEBHOOK: 'https://a.example/ hooks.example' },
      'HEARTBEAT_WEBHOOK must be an http:// or https:// URL, got "hooks.example"',
    ],
    [{ HEARTBEAT_DATA: ' ' }, ''], // blank: ignored, no error
  ];

  it.each(envCases)('environment %j', (env, message) => {
    if (message === '') {
      expect(loadMonitorConfig({ env }).dataPath).toBe(DEFAULTS.dataPath);
      return;
    }
    expect(errorOf({ env })).toBe(`environment: ${message}`);
  });

  it('checks rules across fields on the merged result', () => {
    expect(errorOf({ env: { HEARTBEAT_TCP_PORT: '8080' } })).toBe(
      'configuration: tcpPort and httpPort are both 8080; TCP heartbeats and HTTP need different ports',
    );
    expect(loadMonitorConfig({ overrides: { tcpPort: 0, httpPort: 0 } })).toMatchObject({
      tcpPort: 0,
      httpPort: 0,
    });
    const many = Array.from({ length: MAX_ACTIONS }, () => 'http://a.example/');
    const json = file(
      '.json',
      JSON.stringify({ actions: { on: [{ state: 'dead', command: 'x' }] } }),
    );
    expect(errorOf({ file: json, overrides: { actions: { webhooks: many } } })).toBe(
      `configuration: actions has ${MAX_ACTIONS + 1} commands and webhooks; at most ${MAX_ACTIONS}`,
    );
  });
});

describe('webhook destinations', () => {
  it('refuses link-local and cloud metadata addresses unless allowed by host', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/hook',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://[fd00:ec2::254]/',
    ]) {
      expect(() => loadMonitorConfig({ overrides: { actions: { webhooks: [url] } } }), url).toThrow(
        /points at (a link-local address|a cloud metadata service).*actions\.webhookAllow/,
      );
    }
    const allowed = loadMonitorConfig({
      overrides: {
        actions: { webhooks: ['http://169.254.10.10/hook'], webhookAllow: ['169.254.10.10'] },
      },
    });
    expect(allowed.actions.webhooks).toEqual(['http://169.254.10.10/hook']);
    expect(
      loadMonitorConfig({ overrides: { actions: { webhooks: ['https://hooks.example.com/x'] } } })
        .actions.webhooks,
    ).toHaveLength(1);
  });
});
