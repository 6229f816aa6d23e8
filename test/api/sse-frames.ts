/** Reading a Server-Sent Events stream in tests: frames with their id, event name and data. */
export interface Frame {
  id: number | null;
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE frames from a stream, one `next(n)` at a time. */
export class FrameReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  readonly frames: Frame[] = [];
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Resolves once at least `count` event frames (comments excluded) were read. */
  async next(count: number): Promise<Frame[]> {
    while (this.frames.length < count) {
      const { value, done } = await this.reader.read();
      if (done) throw new Error(`stream ended after ${this.frames.length} frames`);
      this.take(value);
    }
    return this.frames.slice(0, count);
  }

  /** Reads until the stream ends or fails (an abort, the server gone); never throws. */
  async drain(): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) return;
        this.take(value);
      }
    } catch {
      // aborted or cut: what was read is in `frames`
    }
  }

  private take(value: Uint8Array): void {
    this.buffer += this.decoder.decode(value, { stream: true });
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const frame = parseFrame(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 2);
      if (frame !== null) this.frames.push(frame);
    }
  }
}

/** One frame's lines; null for a comment or keep-alive. */
export function parseFrame(block: string): Frame | null {
  let id: number | null = null;
  let event = '';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('id: ')) id = Number(line.slice(4));
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data = line.slice(6);
  }
  return event === '' ? null : { id, event, data: JSON.parse(data) as Record<string, unknown> };
}

/** Subscribes to `url` and keeps reading in the background; `frames` fills as events come. */
export async function subscribe(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ frames: Frame[]; close: () => void; ended: Promise<void> }> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers });
  if (res.status !== 200) throw new Error(`${url}: status ${res.status}`);
  const reader = new FrameReader(res.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>);
  return { frames: reader.frames, close: () => abort.abort(), ended: reader.drain() };
}
