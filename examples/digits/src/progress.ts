/**
 * A tiny dependency-free progress bar: redrawn in place on a terminal, plain
 * start and end lines (no control characters) when stdout is not a TTY — CI
 * logs and files stay readable.
 */
export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private readonly t0 = Date.now();
  private done = 0;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {
    if (!this.tty) process.stdout.write(`${label} (${total} steps)…\n`);
    else this.draw();
  }

  /** Advances by `n` steps, with an optional status text shown after the bar. */
  tick(n = 1, status = ''): void {
    this.done = Math.min(this.total, this.done + n);
    const now = Date.now();
    if (this.tty && (now - this.lastDraw > 80 || this.done === this.total)) {
      this.lastDraw = now;
      this.draw(status);
    }
  }

  /** Ends the bar with a summary line. */
  finish(summary: string): void {
    const secs = ((Date.now() - this.t0) / 1000).toFixed(1);
    const line = `${this.label}: ${summary} (${secs} s)`;
    process.stdout.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  private draw(status = ''): void {
    const width = 28;
    const filled = this.total > 0 ? Math.round((width * this.done) / this.total) : width;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const pct = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 100;
    const secs = ((Date.now() - this.t0) / 1000).toFixed(1);
    const cols = process.stdout.columns ?? 100;
    const line = `${this.label} ${bar} ${String(pct).padStart(3)}% ${this.done}/${this.total} ${secs}s ${status}`;
    process.stdout.write(`\r\x1b[2K${line.slice(0, cols - 1)}`);
  }
}
