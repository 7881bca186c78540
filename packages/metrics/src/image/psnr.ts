import { checkNumber } from '@fovea/core';
import { checkSameShape, readInput, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** Options for {@link psnr} and {@link PSNR}. @category Image quality */
export interface PsnrOptions {
  /** Range of the pixel values (max − min), e.g. 1 for `[0, 1]` images, 255 for 8-bit. Default 1. */
  dataRange?: number;
}

async function sse(op: string, preds: MetricInput, targets: MetricInput): Promise<[number, number]> {
  const p = await readInput(op, 'preds', preds);
  const t = await readInput(op, 'targets', targets);
  checkSameShape(op, 'preds', p, 'targets', t);
  let s = 0;
  for (let i = 0; i < p.data.length; i++) {
    const d = p.data[i]! - t.data[i]!;
    s += d * d;
  }
  return [s, p.data.length];
}

function fromSse(s: number, n: number, range: number): number {
  return 10 * Math.log10((range * range) / (s / n));
}

/**
 * Peak signal-to-noise ratio (scikit-image's `peak_signal_noise_ratio`):
 * `10·log10(dataRange² / MSE)` with **one** MSE over every element of the
 * batch (not a mean of per-image PSNRs). Layout does not matter.
 *
 * @param preds images of any shape, e.g. `[N, H, W, C]`.
 * @param targets reference images, same shape.
 * @param opts see {@link PsnrOptions}.
 * @returns PSNR in dB (`Infinity` for identical inputs).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { psnr } from '@fovea/metrics';
 * await psnr(tf.fill([1, 4, 4, 1], 0.5), tf.fill([1, 4, 4, 1], 0.6)); // ≈ 20 (MSE 0.01)
 * ```
 * @category Image quality
 */
export async function psnr(preds: MetricInput, targets: MetricInput, opts: PsnrOptions = {}): Promise<number> {
  const op = 'psnr';
  const range = checkNumber(op, 'options.dataRange', opts.dataRange ?? 1, { gt: 0 });
  const [s, n] = await sse(op, preds, targets);
  return fromSse(s, n, range);
}

/**
 * Streaming {@link psnr}: accumulates the squared error and the element
 * count, so `compute()` equals `psnr` over all batches together.
 *
 * @example
 * ```ts
 * import { PSNR } from '@fovea/metrics';
 * const m = new PSNR({ dataRange: 255 });
 * await m.update([10, 20], [10, 22]);
 * await m.update([30, 40], [30, 40]);
 * m.compute(); // 10·log10(255² / 1) ≈ 48.13
 * ```
 * @category Image quality
 */
export class PSNR implements Metric<[MetricInput, MetricInput], number> {
  /** The data range in use. */
  readonly dataRange: number;
  private sum = 0;
  private count = 0;

  constructor(opts: PsnrOptions = {}) {
    this.dataRange = checkNumber('PSNR', 'options.dataRange', opts.dataRange ?? 1, { gt: 0 });
  }

  /**
   * Adds a batch.
   * @param preds images.
   * @param targets reference images, same shape.
   */
  async update(preds: MetricInput, targets: MetricInput): Promise<void> {
    const [s, n] = await sse('PSNR.update', preds, targets);
    this.sum += s;
    this.count += n;
  }

  /** PSNR over every element seen (`NaN` before any). */
  compute(): number {
    return fromSse(this.sum, this.count, this.dataRange);
  }

  /** Forgets everything. */
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}
