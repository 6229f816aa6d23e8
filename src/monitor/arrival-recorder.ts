/**
 * Records every accepted arrival to a file in the project's recording format, so the simulator
 * (src/sim) can replay a real network's heartbeat timing and tune detectors against it.
 *
 * Format (TSV, UTF-8):
 * ```
 * #heartbeat-recording v1 wall_origin_ms=<wall ms at monotonic 0>
 * recv_ms	node	incarnation	seq	sent_wall_ms	interval_ms
 * ```
 * one data line per arrival: `recv_ms` is the monitor's monotonic time (ms, up to 3 decimals),
 * a field the sender did not send (text lines and bare pings have no seq) is left empty. Each
 * start appends a new header line with the new origin (monotonic time starts over with the
 * process), so one file can span restarts; the reader puts all lines on one wall axis.
 *
 * Lines are collected in memory and written in batches by a clock timer; when the disk falls
 * behind by more than MAX_RECORDING_BUFFER_BYTES, new lines are dropped and counted instead of
 * delaying detection.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock, TimerHandle } from '../core/clock.js';
import { FileOpenError } from '../core/errors.js';
import { fileErrorText } from '../core/file-error-text.js';
import { MAX_RECORDING_BUFFER_BYTES } from '../core/limits.js';
import type { Message } from '../protocol/message.js';

export interface ArrivalRecorderOptions {
  /** How often collected lines are handed to the file. @default 200 — a few writes a second. */
  flushIntervalMs?: number;
  /** Bytes waiting for the disk beyond which lines are dropped. @default MAX_RECORDING_BUFFER_BYTES */
  maxBufferedBytes?: number;
}

/** Formats a number for the file: empty when absent, at most three decimals. */
const field = (x: number | undefined | null): string =>
  x === undefined || x === null || !Number.isFinite(x) ? '' : String(Math.round(x * 1000) / 1000);

export class ArrivalRecorder {
  private readonly clock: Clock;
  private readonly path: string;
  private readonly flushIntervalMs: number;
  private readonly maxBufferedBytes: number;
  private stream: fs.WriteStream | null = null;
  private timer: TimerHandle | null = null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private written = 0;
  private droppedLines = 0;
  private failure: Error | null = null;

  constructor(components: { clock: Clock }, path: string, init: ArrivalRecorderOptions = {}) {
    this.clock = components.clock;
    this.path = path;
    this.flushIntervalMs = init.flushIntervalMs ?? 200;
    this.maxBufferedBytes = init.maxBufferedBytes ?? MAX_RECORDING_BUFFER_BYTES;
  }

  /**
   * Opens the file for appending (creating its directory, as the history database does) and
   * writes a header. Rejects with a FileOpenError of one line when the file cannot be opened.
   */
  async start(): Promise<void> {
    let stream: fs.WriteStream;
    try {
      fs.mkdirSync(path.dirname(path.resolve(this.path)), { recursive: true });
      stream = fs.createWriteStream(this.path, { flags: 'a' });
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
    } catch (error) {
      throw new FileOpenError(
        this.path,
        `cannot open recording ${this.path}: ${fileErrorText(error)}`,
        { cause: error },
      );
    }
    stream.on('error', (error) => {
      this.failure = error;
    });
    const originMs = this.clock.wallMs() - this.clock.monotonicMs();
    stream.write(`#heartbeat-recording v1 wall_origin_ms=${field(originMs)}\n`);
    this.stream = stream;
    this.timer = this.clock.setInterval(() => this.flush(), this.flushIntervalMs);
  }

  /** Adds one accepted arrival at monotonic `recvMs`; never blocks, never throws. */
  record(recvMs: number, message: Message, intervalMs: number): void {
    if (this.stream === null || this.failure !== null) return;
    const line = `${field(recvMs)}\t${message.nodeId}\t${field(message.incarnation)}\t${field(message.seq)}\t${field(message.sentAtMs)}\t${field(message.intervalMs ?? intervalMs)}\n`;
    if (this.stream.writableLength + this.pendingBytes + line.length > this.maxBufferedBytes) {
      this.droppedLines++;
      return;
    }
    this.pending.push(line);
    this.pendingBytes += line.length;
  }

  /** Lines written, lines dropped because the disk fell behind, and a write error if any. */
  stats(): { lines: number; dropped: number; error: string | null } {
    return {
      lines: this.written,
      dropped: this.droppedLines,
      error: this.failure?.message ?? null,
    };
  }

  /** Writes what is collected and closes the file. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    const stream = this.stream;
    if (stream === null) return;
    this.flush();
    this.stream = null;
    await new Promise<void>((resolve) => {
      if (this.failure !== null) {
        stream.destroy();
        resolve();
      } else {
        stream.end(() => resolve());
      }
    });
  }

  private flush(): void {
    if (this.stream === null || this.pending.length === 0) return;
    this.written += this.pending.length;
    this.stream.write(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
