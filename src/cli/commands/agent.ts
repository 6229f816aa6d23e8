/**
 * `heartbeat agent`: sends heartbeats for this node to one or more monitors until SIGINT or
 * SIGTERM, then says goodbye (`leave`) so the monitor records `left`, not a failure.
 */
import os from 'node:os';
import { runAgent } from '../../agent/run-agent.js';
import { ENV_KEY_FILE, readKeyFile } from '../../config/key-file.js';
import type { Command } from '../command.js';
import { durationFlag, numberFlag, parseFlags, UsageError, type CliIo } from '../usage.js';

const help = `Usage: heartbeat agent [flags] [MONITOR_URL …]

Sends a heartbeat every interval (with jitter) to each monitor: udp://host:port,
tcp://host:port or http://host:port. On SIGINT/SIGTERM it sends "leave" and exits 0.

Flags:
  --id ID               this node's id (default: the host name)
  --monitor URL         a monitor to send to; repeatable (default udp://127.0.0.1:9000)
  --interval DURATION   time between heartbeats, with its unit: 500ms, 1s, 1m … (default 1s)
  --jitter RATIO        random spread of each interval, 0–0.5 (default 0.1)
  --metric KEY=VALUE    a custom metric in every heartbeat; repeatable
  --key-file FILE       sign every heartbeat with the primary key of FILE (one key a line:
                        ID base64:SECRET [primary] [node=ID], chmod 600); udp:// and tcp://
                        only. SIGHUP reads it again (key rotation)
  --help                this text

Environment: HEARTBEAT_NODE_ID, HEARTBEAT_MONITOR (comma-separated URLs), HEARTBEAT_KEY_FILE.`;

interface Flags {
  id?: string;
  monitor?: string[];
  interval?: string;
  jitter?: string;
  metric?: string[];
  'key-file'?: string;
}

/** `key=value` pairs; numeric values become numbers. */
export function parseMetrics(pairs: string[]): Record<string, number | string> {
  const metrics: Record<string, number | string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`--metric must look like key=value, got ${JSON.stringify(pair)}`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const n = Number(raw);
    metrics[key] = raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  return metrics;
}

async function run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { values: flags, positionals } = parseFlags<Flags>('agent', argv, {
    id: { type: 'string' },
    monitor: { type: 'string', multiple: true },
    interval: { type: 'string' },
    jitter: { type: 'string' },
    metric: { type: 'string', multiple: true },
    'key-file': { type: 'string' },
  });
  const targets = [...(flags.monitor ?? []), ...positionals];
  if (targets.length === 0)
    targets.push(
      ...(env['HEARTBEAT_MONITOR']?.split(',').filter(Boolean) ?? ['udp://127.0.0.1:9000']),
    );
  const jitterRatio = numberFlag('jitter', flags.jitter, 0, 0.5);
  const intervalMs = durationFlag('interval', flags.interval, 10);
  const envKeyFile = env[ENV_KEY_FILE]?.trim();
  const keyFile = flags['key-file'] ?? (envKeyFile === '' ? undefined : envKeyFile);
  return runAgent(
    {
      nodeId: flags.id ?? env['HEARTBEAT_NODE_ID'] ?? os.hostname(),
      targets,
      ...(intervalMs !== undefined ? { intervalMs } : {}),
      ...(jitterRatio !== undefined ? { jitterRatio } : {}),
      metrics: parseMetrics(flags.metric ?? []),
    },
    { log: io.err },
    keyFile === undefined ? undefined : { source: keyFile, read: () => readKeyFile(keyFile) },
  );
}

export const command: Command = {
  name: 'agent',

  help,
  run,
};
