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
