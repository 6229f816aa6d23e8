/**
 * A one-line progress bar for long sweeps, written to a terminal stream (stderr) and redrawn in
 * place with a carriage return. When the stream is not a terminal it prints at most one line per
 * tenth of the way, so logs stay readable. Redraws are rate-limited by the caller's own step
 * count, never by reading the time.
 */
export class ProgressBar {
  private lastDrawn = -1;

  constructor(
    private readonly write: (s: string) => void,
    private readonly label: string,
    private readonly isTty: boolean,
    private readonly width = 30,
  ) {}

  /** Shows `done` of `total`; the last call (done = total) ends the line. */
  update(done: number, total: number): void {
    const share = total <= 0 ? 1 : Math.min(1, done / total);
    const step = this.isTty ? Math.floor(share * 200) : Math.floor(share * 10);
    if (step === this.lastDrawn && done < total) return;
    this.lastDrawn = step;
    const filled = Math.round(share * this.width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}]`;
    const text = `${this.label} ${bar} ${done}/${total} ${(share * 100).toFixed(0)}%`;
    if (this.isTty) this.write(`\r${text}${done >= total ? '\n' : ''}`);
    else this.write(`${text}\n`);
  }
}
