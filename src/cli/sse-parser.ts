/**
 * Reads a Server-Sent Events stream as text arrives, in chunks cut anywhere: each blank line ends
 * an event made of the `id:`, `event:` and `data:` lines before it (several `data:` lines join
 * with a newline); comment lines (`:` first, the monitor's keep-alives) and `retry:` are skipped,
 * as the EventSource specification reads them. Lines end in LF or CRLF (a lone CR, which the
 * specification also allows, is not one the monitor sends). For `heartbeat events --follow`.
 */

/** One event of the stream. */
export interface SseFrame {
  /** The `id:` of the event, or null when it had none (a `gap`, a monitor event). */
  id: string | null;
  /** The `event:` name; `message` when the event did not say, as in EventSource. */
  event: string;
  data: string;
}

export class SseParser {
  private partial = '';
  private id: string | null = null;
  private event = '';
  private data: string[] = [];

  /** Takes the next chunk of text; returns the events it completed, in order. */
  push(text: string): SseFrame[] {
    const lines = (this.partial + text).split('\n');
    // A chunk may end in the middle of a line: the rest waits for the next chunk.
    this.partial = lines.pop() ?? '';
    const frames: SseFrame[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') {
        if (this.data.length > 0 || this.event !== '') {
          frames.push({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
        }
        this.id = null;
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'id') this.id = value;
      else if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
    }
    return frames;
  }
}
