/**
 * A real HTTP server on 127.0.0.1 (port 0) for webhook tests: records every request and answers
 * with whatever `respond` says for that request's index (or never, for a hanging receiver).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  index: number;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Status and headers to answer with, or 'hang' to never answer. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(respond: (index: number) => Answer): Promise<HttpReceiver> {
    const holder: { receiver?: HttpReceiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const receiver = holder.receiver!;
        const index = receiver.requests.length;
        receiver.record({
          index,
          method: req.method ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = respond(index);
        if (answer === 'hang') return;
        res.writeHead(answer.status, answer.headers).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.receiver = new HttpReceiver(server, `http://127.0.0.1:${port}/hook`);
    return holder.receiver;
  }

  /** Resolves once `count` requests have arrived in all. */
  received(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(request: ReceivedRequest): void {
    this.requests.push(request);
    this.waiters = this.waiters.filter((w) => {
      if (this.requests.length < w.count) return true;
      w.resolve();
      return false;
    });
  }
}
