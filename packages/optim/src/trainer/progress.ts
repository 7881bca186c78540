import type { EpochLog, ProgressStream } from './types.js';

/** Formats a metric value compactly. @internal */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(4);
}

function defaultStream(): ProgressStream | null {
  const p = (globalThis as { process?: { stdout?: ProgressStream } }).process;
  if (p?.stdout && typeof p.stdout.write === 'function') return p.stdout;
  return { write: (s: string) => console.log(s.replace(/\n$/, '')), isTTY: false };
}

/**
 * A training progress display: in a terminal (a TTY) a bar redrawn in place
 * with the running loss and speed, then one summary line per epoch; anywhere
 * else (CI logs, files, browsers) only the summary lines.
 *
 * @example
 * ```ts
 * import { ProgressBar } from '@fovea/optim';
 * const bar = new ProgressBar(process.stdout, 10);
 * bar.startEpoch(1, 250);
 * bar.update(10, { loss: 0.7 });
 * bar.endEpoch({ epoch: 1, loss: 0.5, lr: 1e-3, timeMs: 4200, acc: 0.9 });
 * // epoch 1/10  loss 0.5000  acc 0.9000  lr 1.00e-3  4.2 s
 * ```
 * @category Trainer
 */
export class ProgressBar {
  private readonly stream: ProgressStream | null;
  private total = 0;
  private epoch = 0;
  private t0 = 0;
  private lastDraw = 0;

  /**
   * @param stream where to write (default `process.stdout` in Node, `console.log` elsewhere); `null` for silence.
   * @param epochs the total number of epochs, for the `epoch e/E` label.
   */
  constructor(stream: ProgressStream | null | undefined, private readonly epochs: number) {
    this.stream = stream === undefined ? defaultStream() : stream;
  }

  private get tty(): boolean {
    return !!this.stream?.isTTY;
  }

  /** Starts an epoch of `batches` batches (`NaN` when unknown). */
  startEpoch(epoch: number, batches: number): void {
    this.epoch = epoch;
    this.total = batches;
    this.t0 = Date.now();
    this.lastDraw = 0;
  }

  /** Redraws the bar after `done` batches (TTY only, at most every 100 ms). */
  update(done: number, values: Record<string, number>): void {
    if (!this.tty || !this.stream) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done !== this.total) return;
    this.lastDraw = now;
    const rate = done / Math.max((now - this.t0) / 1000, 1e-9);
    const stats = Object.entries(values).map(([k, v]) => `${k} ${fmt(v)}`).join('  ');
    const width = 24;
    let bar = '';
    if (Number.isFinite(this.total) && this.total > 0) {
      const filled = Math.min(width, Math.round((width * done) / this.total));
      bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}] ${done}/${this.total}`;
    } else {
      bar = `${done} batches`;
    }
    const line = `epoch ${this.epoch}/${this.epochs} ${bar}  ${stats}  ${rate.toFixed(1)} it/s`;
    const cols = this.stream.columns ?? 120;
    this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length + 2))}`);
  }

  /** Writes the epoch's summary line. */
  endEpoch(log: EpochLog): void {
    if (!this.stream) return;
    const skip = new Set(['epoch', 'lr', 'timeMs']);
    const stats = Object.entries(log).filter(([k]) => !skip.has(k)).map(([k, v]) => `${k} ${fmt(v)}`);
    const line = `epoch ${log.epoch}/${this.epochs}  ${stats.join('  ')}  lr ${log.lr.toExponential(2)}  ${(log.timeMs / 1000).toFixed(1)} s`;
    this.stream.write(`${this.tty ? '\r\x1b[2K' : ''}${line}\n`);
  }

  /** Writes a free-form line (e.g. "early stopping at epoch 7"). */
  message(text: string): void {
    if (this.stream) this.stream.write(`${this.tty ? '\r\x1b[2K' : ''}${text}\n`);
  }
}

/**
 * A progress bar over a known number of steps, for loops that do not go
 * through the {@link Trainer} (GANs, custom schedules, evaluation passes): in
 * a terminal a bar redrawn in place with a status text; anywhere else (CI
 * logs, files, browsers) one start line and one summary line, no control
 * characters.
 *
 * @example
 * ```ts
 * import { StepProgress } from '@fovea/optim';
 * const bar = new StepProgress('VAE', 1600);
 * for (let s = 0; s < 1600; s++) bar.tick(1, `loss ${(100 - s / 20).toFixed(1)}`);
 * const seconds = bar.finish('negative ELBO 99.3 nats'); // "VAE: negative ELBO 99.3 nats (12.3 s)"
 * ```
 * @category Trainer
 */
export class StepProgress {
  private readonly stream: ProgressStream | null;
  private readonly t0 = Date.now();
  private done = 0;
  private lastDraw = 0;

  /**
   * @param label the name shown before the bar and in the summary.
   * @param total the number of steps (`tick`s) expected.
   * @param stream where to write (default `process.stdout` in Node, `console.log` elsewhere); `null` for silence.
   */
  constructor(
    private readonly label: string,
    private readonly total: number,
    stream?: ProgressStream | null,
  ) {
    this.stream = stream === undefined ? defaultStream() : stream;
    if (!this.stream) return;
    if (this.tty) this.draw('');
    else this.stream.write(`${label} (${total} steps)…\n`);
  }

  private get tty(): boolean {
    return !!this.stream?.isTTY;
  }

  /** Steps done so far. */
  get steps(): number {
    return this.done;
  }

  /** Advances by `n` steps, with a status text after the bar (TTY only, redrawn at most every 100 ms). */
  tick(n = 1, status = ''): void {
    this.done = Math.min(this.total, this.done + n);
    const now = Date.now();
    if (this.tty && (now - this.lastDraw > 100 || this.done === this.total)) {
      this.lastDraw = now;
      this.draw(status);
    }
  }

  /** Ends the bar with the line `label: summary (seconds)`; returns the seconds since construction. */
  finish(summary: string): number {
    const secs = (Date.now() - this.t0) / 1000;
    this.stream?.write(`${this.tty ? '\r\x1b[2K' : ''}${this.label}: ${summary} (${secs.toFixed(1)} s)\n`);
    return secs;
  }

  private draw(status: string): void {
    const width = 28;
    const filled = this.total > 0 ? Math.round((width * this.done) / this.total) : width;
    const pct = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 100;
    const secs = ((Date.now() - this.t0) / 1000).toFixed(0);
    const line = `${this.label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(pct).padStart(3)}% ${this.done}/${this.total} ${secs}s ${status}`;
    this.stream!.write(`\r\x1b[2K${line.slice(0, (this.stream!.columns ?? 120) - 1)}`);
  }
}
