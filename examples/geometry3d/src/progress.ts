/**
 * A minimal progress bar: redrawn in place on a terminal, a start line and a
 * summary line otherwise (logs stay readable).
 */
export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private readonly t0 = Date.now();
  private done = 0;
  private last = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {
    if (!this.tty) process.stdout.write(`${label} (${total} steps)…\n`);
  }

  /** Advances by one step with a status text. */
  tick(status = ''): void {
    this.done = Math.min(this.total, this.done + 1);
    const now = Date.now();
    if (!this.tty || (now - this.last < 100 && this.done < this.total)) return;
    this.last = now;
    const w = 28;
    const fill = Math.round((w * this.done) / this.total);
    const bar = '█'.repeat(fill) + '░'.repeat(w - fill);
    process.stdout.write(`\r${this.label} ${bar} ${this.done}/${this.total} ${((now - this.t0) / 1000).toFixed(0)}s ${status}\x1b[K`);
  }

  /** Ends the bar with a summary line. */
  end(summary = ''): void {
    const line = `${this.label}: ${this.done}/${this.total} in ${((Date.now() - this.t0) / 1000).toFixed(1)}s ${summary}`;
    process.stdout.write(this.tty ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}
