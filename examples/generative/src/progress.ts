/**
 * A small dependency-free progress bar: redrawn in place on a terminal, one
 * start line and one end line (no control characters) when stdout is not a TTY.
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
    else this.draw('');
  }

  /** Advances by `n` steps, with a status text after the bar. */
  tick(n = 1, status = ''): void {
    this.done = Math.min(this.total, this.done + n);
    const now = Date.now();
    if (this.tty && (now - this.lastDraw > 100 || this.done === this.total)) {
      this.lastDraw = now;
      this.draw(status);
    }
  }

  /** Ends the bar with a summary line; returns the seconds taken. */
  finish(summary: string): number {
    const secs = (Date.now() - this.t0) / 1000;
    const line = `${this.label}: ${summary} (${secs.toFixed(1)} s)`;
    process.stdout.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    return secs;
  }

  private draw(status: string): void {
    const width = 28;
    const filled = this.total > 0 ? Math.round((width * this.done) / this.total) : width;
    const pct = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 100;
    const secs = ((Date.now() - this.t0) / 1000).toFixed(0);
    const line = `${this.label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(pct).padStart(3)}% ${this.done}/${this.total} ${secs}s ${status}`;
    process.stdout.write(`\r\x1b[2K${line.slice(0, (process.stdout.columns ?? 120) - 1)}`);
  }
}

/** Wall and CPU seconds since the process started, for the closing line (CPU time is what an idle machine would take). */
export function elapsed(t0: number): string {
  const cpu = process.cpuUsage();
  return `total time ${((Date.now() - t0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`;
}
