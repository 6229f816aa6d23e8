/**
 * The monitor's actions in one place: every transition goes to each webhook, and to the exec
 * rules whose state it enters. It subscribes to nothing; the monitor calls `handle()` for each
 * transition, so the wiring stays visible in one spot and tests can feed it directly.
 */
import type { Clock } from '../core/clock.js';
import type { ActionConfig } from '../config/types.js';
import type { NodeTransition } from '../membership/types.js';
import { ExecHook, type ExecHookOptions, type ExecStats } from './exec-hook.js';
import { WebhookSink, type WebhookSinkOptions, type WebhookStats } from './webhook.js';

export interface ActionRunnerOptions {
  /** Options for every webhook sink (the URL comes from the config). */
  webhook?: Omit<WebhookSinkOptions, 'url'>;
  /** Options for the exec hooks (one pool shared by every rule). */
  exec?: ExecHookOptions;
}

export interface ActionStats {
  webhooks: ({ url: string } & WebhookStats)[];
  exec: ExecStats;
}

export class ActionRunner {
  readonly webhooks: readonly WebhookSink[];
  readonly exec: ExecHook;
  private readonly rules: ActionConfig['on'];

  /** Throws ConfigError for a webhook URL that is not http(s). */
  constructor(components: { clock: Clock }, config: ActionConfig, init: ActionRunnerOptions = {}) {
    this.webhooks = config.webhooks.map(
      (url) => new WebhookSink(components, { ...init.webhook, url }),
    );
    this.exec = new ExecHook(components, init.exec);
    this.rules = config.on.map((rule) => ({ ...rule }));
  }

  /** Hands `t` to every webhook and to the commands for its new state; returns at once. */
  handle(t: NodeTransition): void {
    for (const sink of this.webhooks) sink.deliver(t);
    for (const rule of this.rules) {
      if (rule.state === t.to) this.exec.run(rule.command, t);
    }
  }

  stats(): ActionStats {
    return {
      webhooks: this.webhooks.map((sink) => ({ url: sink.url, ...sink.stats() })),
      exec: this.exec.stats(),
    };
  }

  /** Stops every sink and hook: timers cancelled, pending work dropped and counted. */
  async stop(): Promise<void> {
    await Promise.all([...this.webhooks.map((sink) => sink.stop()), this.exec.stop()]);
  }
}
