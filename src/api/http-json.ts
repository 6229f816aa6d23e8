/**
 * JSON in and out of the HTTP API: bounded body reading (MAX_HTTP_BODY_BYTES), parsing that
 * throws only DecodeError, and the one error shape every 4xx/5xx uses: `{"error": "<reason>",
 * "message": "<for people>"}`. Errors map to statuses by class, never by message text.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, DecodeError, LimitError, UnknownNodeError } from '../core/errors.js';
import { MAX_HTTP_BODY_BYTES } from '../core/limits.js';
import { jsonText } from '../protocol/index.js';

/** An error response: status, a short machine-readable reason and a sentence. */
export interface ApiProblem {
  status: number;
  reason: string;
  message: string;
}

/** Serialises with non-finite numbers (a suspicion of Infinity) as null, as JSON requires. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendProblem(res: ServerResponse, problem: ApiProblem): void {
  if (problem.status === 413) res.setHeader('connection', 'close');
  sendJson(res, problem.status, { error: problem.reason, message: problem.message });
}

/** The response for an error thrown by a handler. */
export function problemOf(error: unknown): ApiProblem {
  if (error instanceof DecodeError) {
    return { status: 400, reason: error.reason, message: error.message };
  }
  if (error instanceof ConfigError) {
    return { status: 400, reason: 'bad-request', message: error.message };
  }
  if (error instanceof UnknownNodeError) {
    return { status: 404, reason: 'unknown-node', message: error.message };
  }
  if (error instanceof LimitError) {
    return error.limit === 'MAX_HTTP_BODY_BYTES'
      ? { status: 413, reason: 'body-too-large', message: error.message }
      : { status: 503, reason: `limit-${error.limit}`, message: error.message };
  }
  return { status: 500, reason: 'internal', message: 'internal error' };
}

/**
 * Reads the request body as UTF-8, refusing (LimitError) one larger than `limitBytes` — by its
 * Content-Length before reading anything, or as soon as the bytes read pass the limit — and one
 * that is not valid UTF-8 (DecodeError `bad-json`, as the JSON decoder refuses it on UDP).
 */
export async function readBody(
  req: IncomingMessage,
  limitBytes = MAX_HTTP_BODY_BYTES,
): Promise<string> {
  const tooLarge = () =>
    new LimitError('MAX_HTTP_BODY_BYTES', `request body is over ${limitBytes} bytes`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw tooLarge();
  // Plain events rather than `for await`: the async iterator costs more than the parse.
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      try {
        resolve(jsonText(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('request aborted')));
  });
}

/** Parses JSON text; throws DecodeError `bad-json`. Empty text gives `undefined`. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DecodeError('bad-json', `request body is not JSON: ${(error as Error).message}`);
  }
}

/** Reads and parses a JSON body that must be an object. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const value = parseJson(await readBody(req));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError('bad-json', 'request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
