/**
 * V8's `Error.stackTraceLimit`, which core/errors.ts sets: Chromium has it as Node does. Declared
 * here because the dashboard's types (DOM, no Node) reach core/errors.ts through the API's types.
 */
interface ErrorConstructor {
  stackTraceLimit: number;
}
