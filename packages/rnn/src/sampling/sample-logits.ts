import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, defaultGenerator, type Generator } from '@fovea/core';

/** Options of {@link sampleLogits}. @category Sampling */
export interface SampleLogitsOptions {
  /** Softmax temperature: < 1 sharpens, > 1 flattens, 0 takes the argmax (greedy). Default 1. */
  temperature?: number;
  /** Keep only the k most likely classes before sampling (0: all). Default 0. */
  topK?: number;
  /** Random source (default: core's default generator), so a seed reproduces the samples. */
  generator?: Generator;
}

/**
 * Draws one class per row from `softmax(logits / temperature)` with core's
 * seeded generator (inverse-CDF sampling on the CPU), as
 * `torch.multinomial(F.softmax(logits / T, -1), 1)`. Temperature 0 is greedy
 * (argmax, the first on ties). Reads the probabilities back, hence async.
 *
 * @param logits `[B, K]` (or `[K]`) unnormalised scores.
 * @param opts temperature, topK, generator.
 * @returns `B` class indices (one for `[K]` input).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Generator } from '@fovea/core';
 * import { sampleLogits } from '@fovea/rnn';
 * const logits = tf.tensor2d([[0, 5, 0], [9, 0, 0]]);
 * await sampleLogits(logits, { temperature: 0 });                          // Int32Array [1, 0]
 * await sampleLogits(logits, { temperature: 1, generator: new Generator(0) }); // mostly [1, 0]
 * ```
 * @category Sampling
 */
export async function sampleLogits(logits: tf.Tensor, opts: SampleLogitsOptions = {}): Promise<Int32Array> {
  const op = 'sampleLogits';
  checkTensor(op, 'logits', logits, { rank: [1, 2], dtype: 'float32' });
  const temperature = checkNumber(op, 'options.temperature', opts.temperature ?? 1, { min: 0 });
  const K = logits.shape[logits.rank - 1]!;
  const topK = checkNumber(op, 'options.topK', opts.topK ?? 0, { integer: true, min: 0 });
  const g = opts.generator ?? defaultGenerator();
  const rows = logits.rank === 1 ? 1 : logits.shape[0]!;
  const values = await logits.data();
  const out = new Int32Array(rows);
  const p = new Float64Array(K);
  for (let r = 0; r < rows; r++) {
    const row = values.subarray(r * K, (r + 1) * K);
    let best = 0;
    for (let k = 1; k < K; k++) if (row[k]! > row[best]!) best = k;
    if (temperature === 0 || K === 1) {
      out[r] = best;
      continue;
    }
    let cut = -Infinity;
    if (topK > 0 && topK < K) cut = Array.from(row).sort((a, b) => b - a)[topK - 1]!;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      p[k] = row[k]! >= cut ? Math.exp((row[k]! - row[best]!) / temperature) : 0;
      sum += p[k]!;
    }
    let u = g.random() * sum;
    let pick = K - 1;
    for (let k = 0; k < K; k++) {
      u -= p[k]!;
      if (u < 0) { pick = k; break; }
    }
    while (p[pick] === 0 && pick > 0) pick--; // never return a zero-probability class
    out[r] = pick;
  }
  return out;
}
