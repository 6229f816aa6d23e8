/**
 * What is running: the service's own version (when known) and the Node.js version. A node that
 * fails right after a deploy shows a new version here.
 */
import type { Payload } from '../../protocol/message.js';
import type { PayloadProvider } from './provider.js';

export interface VersionOptions {
  /**
   * The service's version string.
   * @default process.env.npm_package_version — set when the service runs through `npm start`;
   * left out of the payload when neither is set.
   */
  version?: string;
}

export class VersionProvider implements PayloadProvider {
  readonly name = 'version';
  private readonly payload: Payload;

  constructor(init: VersionOptions = {}) {
    const version = init.version ?? process.env['npm_package_version'];
    this.payload = {
      ...(version !== undefined && version !== '' ? { version } : {}),
      nodeVersion: process.version,
    };
  }

  collect(): Payload {
    return this.payload;
  }
}
