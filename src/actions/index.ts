/** What the monitor does about transitions: webhooks and exec hooks. */
export { ActionRunner, type ActionRunnerOptions, type ActionStats } from './action-runner.js';
export {
  ExecHook,
  hookEnv,
  type ExecEvents,
  type ExecHookOptions,
  type ExecResult,
  type ExecStats,
} from './exec-hook.js';
export {
  TRANSITION_DOCUMENT_VERSION,
  transitionDocument,
  type TransitionDocument,
} from './transition-document.js';
export {
  WebhookSink,
  type WebhookEvents,
  type WebhookSinkOptions,
  type WebhookStats,
} from './webhook.js';
